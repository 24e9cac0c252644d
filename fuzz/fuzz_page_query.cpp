// libFuzzer target: a request's target as `rcbatch serve`'s pages read it (page_query). What it
// accepts is text a terminal or a page can show as it is, within its limits; what it refuses
// gets a short one-line error (so it cannot echo the target); the numbers and days read from its
// values are in range.
#include "engine/text/display_text.hpp"
#include "serve/pages/page_query.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
void check_text(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes || rcbatch::engine::printable(text) != text) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rcbatch::serve;
    const std::string_view target(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto query = parse_page_query(target, error);
    if (!query) {
        // One short line whatever the target: it cannot carry the target along.
        if (error.empty()) std::abort();
        check_text(error, 64);
        return 0;
    }
    for (const std::string& segment : query->segments) {
        if (segment.empty()) std::abort();
        check_text(segment, max_query_value_bytes);
    }
    for (const auto& [name, value] : query->values) {
        check_text(name, target.size());
        check_text(value, max_query_value_bytes);
        if (const auto n = whole_number(value); n && *n < 1) std::abort();
        if (const auto day = day_start(value); day && *day % 86400 != 0) std::abort();
    }
    return 0;
}
