#pragma once
// The HTTP response the server writes for a PageResponse: the page's status, type, body and
// extra headers, then the security headers every response carries. Pure: no I/O.

#include "serve/http/page.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <span>
#include <string_view>
#include <utility>

namespace rcbatch::serve {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, Cache-Control,
// X-Frame-Options and Server, with their values.
std::span<const std::pair<std::string_view, std::string_view>> security_headers();

// The status, the page's type and extra headers (those that pass the checks below) and the
// security headers, on `header`: what every response carries.
void set_page_headers(boost::beast::http::response_header<>& header, const PageResponse& page,
                      unsigned version);

// `page` as an HTTP/1.`version` response with Content-Length and Connection set. A status
// outside 100-599 becomes 500; an extra header whose name or value holds CR, LF or NUL, or
// that names Content-Length, Transfer-Encoding or Connection, is dropped.
HttpResponse to_http_response(const PageResponse& page, unsigned version, bool keep_alive);

}  // namespace rcbatch::serve
