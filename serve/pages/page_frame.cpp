#include "serve/pages/page_frame.hpp"

#include "engine/text/markup_text.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <ctime>

namespace rcbatch::serve {

std::string page_begin(std::string_view title) {
    const std::string escaped = engine::safe_text(title);
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
           "<title>" +
           escaped +
           " - rcbatch</title>\n<link rel=\"stylesheet\" href=\"/static/rcbatch.css\">\n"
           "</head><body>\n<nav><a href=\"/\">Runs</a> <a href=\"/search\">Search</a> "
           "<a href=\"/metrics\">Metrics</a> <form method=\"get\" action=\"/search\" "
           "role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"order id, domain or "
           "job\" aria-label=\"search\"> <button>Search</button></form></nav>\n<h1>" +
           escaped + "</h1>\n";
}

std::string page_end() {
    return "<p class=\"note\">rcbatch " RCBATCH_VERSION
           " - a read-only view of the ledger and the run folders.</p>\n</body></html>\n";
}

std::string url_part(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string html_link(std::string_view href, std::string_view text) {
    return "<a href=\"" + engine::markup_escape(href) + "\">" + engine::safe_text(text) + "</a>";
}

std::string time_text(std::int64_t unix_seconds) {
    if (unix_seconds <= 0) return "";
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return std::string(buffer, n);
}

std::string duration_text(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    const auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    if (seconds >= 3600)
        return std::to_string(seconds / 3600) + " h " + two(seconds % 3600 / 60) + " min";
    if (seconds >= 60) return std::to_string(seconds / 60) + " min " + two(seconds % 60) + " s";
    return std::to_string(seconds) + " s";
}

}  // namespace rcbatch::serve
