#include "serve/http/request_rules.hpp"

#include "engine/text/ascii_case.hpp"
#include "serve/http/access_token.hpp"
#include "serve/http/login_page.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace rcbatch::serve {

namespace {

constexpr std::string_view login_path = "/login";

PageResponse plain_text(unsigned status, std::string_view text) {
    PageResponse page;
    page.status = status;
    page.content_type = "text/plain; charset=utf-8";
    page.body = std::string(text) + "\n";
    return page;
}

ServerAnswer not_allowed(std::string_view allow) {
    ServerAnswer answer = refusal(405, "Method not allowed");
    answer.response.headers.emplace_back("Allow", std::string(allow));
    return answer;
}

}  // namespace

ServerAnswer refusal(unsigned status, std::string_view text, bool close) {
    return ServerAnswer{plain_text(status, text), close};
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find_first_of("?#"));
}

bool loopback_host(std::string_view host) {
    if (host.empty()) return true;
    std::string_view name = host;
    if (name.starts_with('[')) {
        const auto end = name.find(']');
        if (end == std::string_view::npos) return false;
        const std::string_view rest = name.substr(end + 1);
        if (!rest.empty() && !rest.starts_with(':')) return false;
        name = name.substr(1, end - 1);
    } else if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
        name = name.substr(0, colon);
    }
    if (engine::iequals(name, "localhost")) return true;
    // An address as inet_pton reads it (as Asio's make_address does, without a scope id):
    // 127.0.0.0/8 or ::1. It reads up to a NUL: "127.0.0.1\0evil" is no address (Beast
    // refuses such a header anyway).
    if (name.find('\0') != std::string_view::npos) return false;
    const std::string text(name);
    in_addr v4{};
    if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 &&
           std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
}

std::optional<ServerAnswer> answer_before_handler(const RequestFacts& request,
                                                  const std::optional<std::string>& token,
                                                  std::size_t target_bytes) {
    if (!request.target.starts_with('/')) return refusal(400, "Bad request");
    if (request.target.size() > target_bytes) return refusal(414, "URI too long");
    const std::string_view path = path_of(request.target);
    const bool login = path == login_path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    if (!get && !post) return not_allowed(login ? "GET, HEAD, POST" : "GET, HEAD");
    if (post && !login) return not_allowed("GET, HEAD");
    if (!token) {
        if (loopback_host(request.host)) return std::nullopt;
        return refusal(403, "Forbidden: without a token this server answers for localhost only");
    }
    if (login && get) return ServerAnswer{login_form(false), false};
    if (login) {
        if (!is_form_content_type(request.content_type))
            return refusal(415, "Send the form as application/x-www-form-urlencoded");
        const auto given = token_from_login_form(request.body);
        if (given && token_matches(*given, *token))
            return ServerAnswer{login_accepted(*token, request.tls), false};
        return ServerAnswer{login_form(true), false};
    }
    if (token_matches(token_in_request(request.authorization, request.cookie), *token))
        return std::nullopt;
    return ServerAnswer{token_required(true), false};
}

ServerAnswer answer_busy() { return refusal(503, "Too many connections; try again later", true); }

PageResponse handler_failed() { return plain_text(500, "Internal server error"); }

}  // namespace rcbatch::serve
