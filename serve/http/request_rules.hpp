#pragma once
// What the server itself answers, before (or instead of) the page handler: a request it could
// not read, a target too long, a method it does not serve, a missing or wrong token, the login
// page. Pure: no I/O; the session (http_session.cpp) only acts on these answers.

#include "serve/http/page.hpp"

#include <boost/system/error_code.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::serve {

// A request as read, the parts the rules look at.
struct RequestFacts {
    std::string_view method;  // as sent: "GET", "PUT", "FOO"
    std::string_view target;
    std::string_view authorization;  // the header's value, or empty
    std::string_view cookie;
    std::string_view content_type;
    std::string_view body;
    bool tls = false;
    std::string_view host = {};  // the Host header's value, or empty
};

// The server's own answer; `close`: the connection closes after it (the request could not be
// read to its end).
struct ServerAnswer {
    PageResponse response;
    bool close = false;
};

// A plain-text answer of the server's own, `close` as ServerAnswer's.
ServerAnswer refusal(unsigned status, std::string_view text, bool close = false);

// The target's path: up to '?' or '#'.
std::string_view path_of(std::string_view target);

// Whether a Host header names this machine's loopback: localhost, 127.0.0.0/8 or [::1], with
// or without a port; an empty one (HTTP/1.0) too.
bool loopback_host(std::string_view host);

// The server's answer to a request it read, in this order: a target not starting with '/'
// (400), longer than `target_bytes` (414), a method other than GET, HEAD, POST (405 with
// Allow), POST to another path than /login (405); without `token` (the server listens on
// loopback only), a Host that is not loopback_host (403: a web page elsewhere that made its
// name lead to 127.0.0.1, DNS rebinding, must not read the pages); with `token` set, /login (the
// form, or the login POST: 415 for another body type, 303 or 401) and a request without the token
// (401). nullopt: the page handler answers. Without `token`, /login is an ordinary page.
std::optional<ServerAnswer> answer_before_handler(const RequestFacts& request,
                                                  const std::optional<std::string>& token,
                                                  std::size_t target_bytes);

// The answer to a request Beast could not read (`ec` from http::async_read), then close: 431
// for a header over the limit (414 when `unparsed`, the bytes still buffered, holds no end of
// the request line), 413 for a body over the limit, 400 for any other parse error; nullopt to
// close without an answer (end of stream, a timeout, a reset, TLS trouble). In
// read_error_answer.cpp: the only rule that needs Beast.
std::optional<ServerAnswer> answer_to_read_error(const boost::system::error_code& ec,
                                                 std::string_view unparsed);

// 503 to a connection over the server's connection limit, then close.
ServerAnswer answer_busy();

// 500 when the page handler threw: a fixed text, never the exception's.
PageResponse handler_failed();

}  // namespace rcbatch::serve
