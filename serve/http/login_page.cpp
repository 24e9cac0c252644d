#include "serve/http/login_page.hpp"

#include "engine/text/ascii_case.hpp"
#include "serve/http/access_token.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>

namespace rcbatch::serve {

namespace {

constexpr std::string_view form_top =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>rcbatch: log in</title></head>\n<body><h1>rcbatch</h1>\n";
constexpr std::string_view wrong_notice = "<p>That token is not right.</p>\n";
constexpr std::string_view form_bottom =
    "<form method=\"post\" action=\"/login\">"
    "<label for=\"token\">Access token</label> "
    "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" "
    "required autofocus> <button type=\"submit\">Log in</button></form>\n</body></html>\n";

}  // namespace

PageResponse login_form(bool wrong_token) {
    PageResponse page;
    page.body = std::string(form_top);
    if (wrong_token) {
        page.status = 401;
        page.headers.emplace_back("WWW-Authenticate", "Bearer");
        page.body += wrong_notice;
    }
    page.body += form_bottom;
    return page;
}

std::optional<std::string> token_from_login_form(std::string_view body) {
    // Boost 1.81's parse_query reads its argument up to a NUL, past the end of the view
    // (boostorg/url#757; found by fuzz/fuzz_request_rules): it gets a NUL-terminated copy, and
    // a body with a NUL in it (a form sends %00) is no form.
    if (body.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string text(body);
    auto params = boost::urls::parse_query(text);
    if (!params) return std::nullopt;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    for (const auto& param : *params) {
        if (param.key.decode(opts) != "token" || !param.has_value) continue;
        return param.value.decode(opts);
    }
    return std::nullopt;
}

bool is_form_content_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    std::string_view type = content_type.substr(0, semicolon);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    return engine::iequals(type, "application/x-www-form-urlencoded");
}

PageResponse login_accepted(std::string_view token, bool tls) {
    PageResponse page;
    page.status = 303;
    page.content_type = "text/plain; charset=utf-8";
    page.body = "See /\n";
    page.headers.emplace_back("Location", "/");
    std::string cookie = std::string(token_cookie_name) + "=" + std::string(token) +
                         "; HttpOnly; SameSite=Strict; Path=/";
    if (tls) cookie += "; Secure";
    page.headers.emplace_back("Set-Cookie", std::move(cookie));
    return page;
}

PageResponse token_required(bool html) {
    PageResponse page;
    page.status = 401;
    page.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (html) {
        page.body =
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>rcbatch: log in</title></head>\n<body><p>This page needs the access "
            "token: <a href=\"/login\">log in</a>.</p></body></html>\n";
    } else {
        page.content_type = "text/plain; charset=utf-8";
        page.body = "The access token is missing or wrong.\n";
    }
    return page;
}

}  // namespace rcbatch::serve
