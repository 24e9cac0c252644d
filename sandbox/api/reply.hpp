#pragma once
// A reply of the sandbox before it is written, and the API's error texts.

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::sandbox {

namespace msg {
// Exact texts of api.md §1.
inline constexpr std::string_view not_allowed = "You are not allowed to perform this action";
inline constexpr std::string_view action_pending =
    "There is already an action pending on this Order.";
inline constexpr std::string_view resend_inactive =
    "Resend verification email is not supported for InActive or Deleted domains.";
std::string no_entity(std::uint64_t id);               // "No Entity found for Entityid: <id>"
std::string website_missing(std::string_view domain);  // "Website doesn't exist for <domain>"
// Auth answers [guess]: a bad key or user id, and the denied (not whitelisted) user id.
inline constexpr std::string_view invalid_credentials = "Invalid credentials";
inline constexpr std::string_view access_denied =
    "Access Denied. You are not authorized to perform this action.";
// Sandbox texts for cases api.md names without a text [guess].
inline constexpr std::string_view order_deleted = "This action is not allowed on a Deleted order.";
inline constexpr std::string_view resend_ekyc_in_progress =
    "Resend verification email is not allowed while eKYC verification is Pending Partner "
    "Confirmation.";
inline constexpr std::string_view resend_not_nixi =
    "Resend verification email is supported only for .IN and .BHARAT domains.";
// A domain renew whose exp-date is not the domain's expiry (api.md §7: its text is unknown).
inline constexpr std::string_view renew_fence =
    "The expiry date given does not match the current expiry date of the domain.";
inline constexpr std::string_view privacy_not_allowed =
    "Privacy Protection is not allowed for this domain.";
inline constexpr std::string_view resend_sent =
    "Verification email has been sent to the Registrant contact";
}  // namespace msg

struct Reply {
    boost::beast::http::status status = boost::beast::http::status::ok;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Retry-After
};

Reply json_reply(const boost::json::value& v,
                 boost::beast::http::status status = boost::beast::http::status::ok);
// {"status":"ERROR","message":"..."}, HTTP 500 unless told otherwise.
Reply api_error(std::string_view message, boost::beast::http::status status =
                                              boost::beast::http::status::internal_server_error);
// An nginx-like error page; a non-empty `echo` (echo-key) is shown on it as "request: ...".
Reply html_reply(boost::beast::http::status status, std::string_view title,
                 std::string_view echo = {});
Reply plain_reply(boost::beast::http::status status, std::string_view text);

// An HTTP Date header for Unix seconds: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::int64_t unix_seconds);

// Money in thousandths as the API writes it: -15000 -> "-15.000".
std::string format_milli(std::int64_t milli);

// A JSON object body with "sellingamount" set to the raw number 1e999 (the huge-number
// fault; Boost.JSON cannot write it, so it is spliced in as text). Other bodies unchanged.
std::string with_huge_amount(const std::string& body);

// For echo-key: a JSON error body's "message" gets " (request: <echo>)" appended; an HTML
// or other body is left as it is (html_reply shows the echo itself).
void append_to_error_message(Reply& reply, std::string_view echo);

}  // namespace rcbatch::sandbox
