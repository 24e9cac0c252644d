#pragma once
// The response normaliser of api.md §1: turns any reply body of the LogicBoxes API (every
// success shape, every error shape, with any HTTP status) into one engine::ReplyVerdict.
// Pure: no I/O. The engine combines the verdict with the transport and status into an Outcome.

#include "engine/batch/reply_verdict.hpp"
#include "engine/net/http_request.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

struct ReplyOptions {
    // Case-insensitive substrings of an error message (or of a non-JSON body) that mean the
    // credentials or the source IP are refused: the whole run must stop. api.md §1: "Access
    // Denied. You are not authorized to perform this action.", "Invalid credentials"-like
    // texts, an IP that is not whitelisted. Deliberately NOT "not allowed to perform": that is
    // "You are not allowed to perform this action", an order of another reseller (per order).
    std::vector<std::string> fatal_patterns = default_fatal_patterns();

    // Case-insensitive substrings of an API error message that say the server refused to
    // process the request at all, so that sending it again is safe even for a paid action.
    // Only texts that promise "nothing was done" belong here; see default_transient_patterns().
    std::vector<std::string> transient_patterns = default_transient_patterns();

    // Longest message kept from the server, in bytes (untrusted text).
    std::size_t max_message = 300;

    static std::vector<std::string> default_fatal_patterns();
    static std::vector<std::string> default_transient_patterns();
};

// Reads one reply. Never throws on any body; `kind` is:
//  ok         a success shape with a 2xx status; `value` holds the JSON value (a plain-text
//             "Success..." body becomes a JSON string)
//  api_error  an error shape at the TOP level, with any status; `message` holds its text
//  fatal      an error shape or a non-JSON body whose text matches a fatal pattern
//  unreadable empty, HTML, truncated or non-JSON bodies, and success-looking bodies that came
//             with a non-2xx status (the server may or may not have acted)
engine::ReplyVerdict read_reply(int http_status, std::string_view content_type,
                                std::string_view body, const ReplyOptions& options);
engine::ReplyVerdict read_reply(const engine::HttpExchange& exchange, const ReplyOptions& options);

// Whether `v` holds a number that is not finite (a JSON number too large for a double).
bool has_non_finite(const boost::json::value& v);
// `json_text` with every number that overflows a double written as a JSON string of its text
// ("1e999" -> "\"1e999\""), so it reads back finite and writes back as valid JSON.
std::string quote_huge_numbers(std::string_view json_text);

// Untrusted server text made safe for reports and terminals: whitespace runs (tabs, newlines)
// collapsed to one space, other control characters (C0, DEL, C1, bidi overrides) and invalid
// UTF-8 removed, trimmed, and cut at `max_bytes` on a character boundary with "..." appended.
std::string clean_text(std::string_view text, std::size_t max_bytes);

// Whether `text` contains one of `patterns`, ignoring ASCII case.
bool matches_any(std::string_view text, const std::vector<std::string>& patterns);

}  // namespace rcbatch::jobs
