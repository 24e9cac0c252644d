#include "sandbox/api/reply.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <ctime>

namespace rcbatch::sandbox {

namespace http = boost::beast::http;

std::string msg::no_entity(std::uint64_t id) {
    return "No Entity found for Entityid: " + std::to_string(id);
}

std::string msg::website_missing(std::string_view domain) {
    return "Website doesn't exist for " + std::string(domain);
}

Reply json_reply(const boost::json::value& v, http::status status) {
    return Reply{status, "application/json", boost::json::serialize(v), {}};
}

Reply api_error(std::string_view message, http::status status) {
    boost::json::object o;
    o["status"] = "ERROR";
    o["message"] = message;
    return json_reply(o, status);
}

Reply html_reply(http::status status, std::string_view title, std::string_view echo) {
    std::string code = std::to_string(static_cast<unsigned>(status));
    std::string shown;
    if (!echo.empty()) {
        shown = "<p>request: ";
        for (char c : echo)
            shown += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
        shown += "</p>\r\n";
    }
    std::string body = "<html>\r\n<head><title>" + code + " " + std::string(title) +
                       "</title></head>\r\n<body>\r\n<center><h1>" + code + " " +
                       std::string(title) + "</h1></center>\r\n" + shown +
                       "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    return Reply{status, "text/html", std::move(body), {}};
}

Reply plain_reply(http::status status, std::string_view text) {
    return Reply{status, "text/plain", std::string(text) + "\n", {}};
}

std::string http_date(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf, n);
}

std::string format_milli(std::int64_t milli) {
    const bool negative = milli < 0;
    const std::uint64_t m =
        negative ? 0 - static_cast<std::uint64_t>(milli) : static_cast<std::uint64_t>(milli);
    std::string frac = std::to_string(m % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return (negative ? "-" : "") + std::to_string(m / 1000) + "." + frac;
}

std::string with_huge_amount(const std::string& body) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return body;
    auto& o = v.as_object();
    o.erase("sellingamount");
    std::string out = boost::json::serialize(o);
    out.insert(out.size() - 1, std::string(o.empty() ? "" : ",") + "\"sellingamount\":1e999");
    return out;
}

void append_to_error_message(Reply& reply, std::string_view echo) {
    if (reply.content_type != "application/json") return;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(reply.body, ec);
    if (ec || !v.is_object()) return;
    auto& o = v.as_object();
    auto* message = o.if_contains("message");
    const auto* status = o.if_contains("status");
    if (!message || !message->is_string() || !status || !status->is_string() ||
        status->as_string() != "ERROR")
        return;
    std::string text(message->as_string());
    text += " (request: " + std::string(echo) + ")";
    *message = text;
    reply.body = boost::json::serialize(o);
}

}  // namespace rcbatch::sandbox
