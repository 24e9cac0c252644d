#include "serve/http/response_headers.hpp"

#include <array>

namespace rcbatch::serve {

namespace http = boost::beast::http;

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> security{{
    {"Content-Security-Policy",
     "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
    {"X-Frame-Options", "DENY"},
    {"Server", "rcbatch"},
}};

bool header_safe(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool framing_header(std::string_view name) {
    const auto field = http::string_to_field(name);
    return field == http::field::content_length || field == http::field::transfer_encoding ||
           field == http::field::connection;
}

}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> security_headers() {
    return security;
}

void set_page_headers(http::response_header<>& res, const PageResponse& page, unsigned version) {
    const unsigned status = page.status >= 100 && page.status <= 599 ? page.status : 500;
    res.version(version);
    res.result(status);
    for (const auto& [name, value] : page.headers) {
        if (name.empty() || !header_safe(name) || !header_safe(value) || framing_header(name))
            continue;
        res.set(name, value);
    }
    if (!page.content_type.empty() && header_safe(page.content_type))
        res.set(http::field::content_type, page.content_type);
    for (const auto& [name, value] : security) res.set(name, value);
}

HttpResponse to_http_response(const PageResponse& page, unsigned version, bool keep_alive) {
    HttpResponse res;
    set_page_headers(res, page, version);
    res.body() = page.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

}  // namespace rcbatch::serve
