// libFuzzer target: any reply body (with a status and content type from the first bytes) into
// the response normaliser. read_reply never throws; the message it keeps is bounded and clean.
#include "jobs/api/reply_reader.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    static const int statuses[] = {200, 201, 204, 302, 400, 401, 403,
                                   404, 429, 500, 502, 503, 504, 0};
    const int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    static const std::string_view types[] = {"application/json", "text/html", "text/plain", ""};
    const std::string_view type = types[data[1] % 4];
    const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
    static const rcbatch::jobs::ReplyOptions options;
    const auto verdict = rcbatch::jobs::read_reply(status, type, body, options);
    if (verdict.message.size() > options.max_message + 3) std::abort();
    const std::string cleaned = rcbatch::jobs::clean_text(body, 64);
    if (cleaned.size() > 67) std::abort();
    return 0;
}
