#pragma once
// The login page of a token-protected `rcbatch serve`: GET /login shows a form, POST /login
// with the right token sets the rcbatch_token cookie. Pure: no I/O.

#include "serve/http/page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::serve {

// The login form (200), or after a wrong token the form again with a notice (401 with
// WWW-Authenticate: Bearer). No inline script or style: the CSP forbids them.
PageResponse login_form(bool wrong_token);

// The value of the `token` field of an application/x-www-form-urlencoded body (percent and
// '+' decoded), or nullopt when there is none or the body is not validly encoded.
std::optional<std::string> token_from_login_form(std::string_view body);

// Whether `content_type` is application/x-www-form-urlencoded (any case, parameters allowed).
bool is_form_content_type(std::string_view content_type);

// The answer to the right token: 303 to "/" setting the rcbatch_token cookie (HttpOnly,
// SameSite=Strict, Path=/, and Secure over TLS).
PageResponse login_accepted(std::string_view token, bool tls);

// The answer to a request without the right token: 401 with WWW-Authenticate: Bearer and, for
// a GET or HEAD, a small HTML page linking to /login.
PageResponse token_required(bool html);

}  // namespace rcbatch::serve
