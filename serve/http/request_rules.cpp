#include "serve/http/request_rules.hpp"

#include "engine/text/ascii_case.hpp"
#include "serve/http/access_token.hpp"
#include "serve/http/login_page.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/error.hpp>

namespace rcbatch::serve {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view login_path = "/login";

PageResponse plain_text(unsigned status, std::string_view text) {
    PageResponse page;
    page.status = status;
    page.content_type = "text/plain; charset=utf-8";
    page.body = std::string(text) + "\n";
    return page;
}

ServerAnswer refuse(unsigned status, std::string_view text, bool close = false) {
    return ServerAnswer{plain_text(status, text), close};
}

ServerAnswer not_allowed(std::string_view allow) {
    ServerAnswer answer = refuse(405, "Method not allowed");
    answer.response.headers.emplace_back("Allow", std::string(allow));
    return answer;
}

}  // namespace

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
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(name), ec);
    return !ec && address.is_loopback();
}

std::optional<ServerAnswer> answer_before_handler(const RequestFacts& request,
                                                  const std::optional<std::string>& token,
                                                  std::size_t target_bytes) {
    if (!request.target.starts_with('/')) return refuse(400, "Bad request");
    if (request.target.size() > target_bytes) return refuse(414, "URI too long");
    const std::string_view path = path_of(request.target);
    const bool login = path == login_path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    if (!get && !post) return not_allowed(login ? "GET, HEAD, POST" : "GET, HEAD");
    if (post && !login) return not_allowed("GET, HEAD");
    if (!token) {
        if (loopback_host(request.host)) return std::nullopt;
        return refuse(403, "Forbidden: without a token this server answers for localhost only");
    }
    if (login && get) return ServerAnswer{login_form(false), false};
    if (login) {
        if (!is_form_content_type(request.content_type))
            return refuse(415, "Send the form as application/x-www-form-urlencoded");
        const auto given = token_from_login_form(request.body);
        if (given && token_matches(*given, *token))
            return ServerAnswer{login_accepted(*token, request.tls), false};
        return ServerAnswer{login_form(true), false};
    }
    if (token_matches(token_in_request(request.authorization, request.cookie), *token))
        return std::nullopt;
    return ServerAnswer{token_required(true), false};
}

std::optional<ServerAnswer> answer_to_read_error(const boost::system::error_code& ec,
                                                 std::string_view unparsed) {
    if (ec == http::error::header_limit) {
        if (unparsed.find('\n') == std::string_view::npos) return refuse(414, "URI too long", true);
        return refuse(431, "Request header too large", true);
    }
    if (ec == http::error::body_limit) return refuse(413, "Request body too large", true);
    if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
        return refuse(400, "Bad request", true);
    return std::nullopt;
}

ServerAnswer answer_busy() { return refuse(503, "Too many connections; try again later", true); }

PageResponse handler_failed() { return plain_text(500, "Internal server error"); }

}  // namespace rcbatch::serve
