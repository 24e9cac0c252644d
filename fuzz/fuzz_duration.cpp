// libFuzzer target: the duration parser. Whatever it accepts is non-negative and reads back
// the same from its shortest form.
#include "config/duration.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto d = rcbatch::config::parse_duration(text);
    if (!d) return 0;
    if (d->count() < 0) std::abort();
    const auto again = rcbatch::config::parse_duration(rcbatch::config::format_duration(*d));
    if (!again || *again != *d) std::abort();
    return 0;
}
