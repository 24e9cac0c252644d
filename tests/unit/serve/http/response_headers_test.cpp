#include "serve/http/response_headers.hpp"

#include <doctest/doctest.h>

namespace response_headers_test {

using namespace rcbatch::serve;
namespace http = boost::beast::http;

namespace {

void check_security_headers(const HttpResponse& res) {
    CHECK(res["Content-Security-Policy"] ==
          "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    CHECK(res["X-Content-Type-Options"] == "nosniff");
    CHECK(res["Referrer-Policy"] == "no-referrer");
    CHECK(res["Cache-Control"] == "no-store");
    CHECK(res["X-Frame-Options"] == "DENY");
    CHECK(res["Server"] == "rcbatch");
}

}  // namespace

TEST_SUITE("serve response headers") {
    TEST_CASE("a page gets its status, type, body, extra headers and the security headers") {
        PageResponse page;
        page.status = 404;
        page.body = "<p>no such run</p>";
        page.headers = {{"Refresh", "5"}, {"Content-Disposition", "attachment; filename=a.csv"}};
        const auto res = to_http_response(page, 11, true);
        CHECK(res.result_int() == 404);
        CHECK(res.version() == 11);
        CHECK(res.keep_alive());
        CHECK(res[http::field::content_type] == "text/html; charset=utf-8");
        CHECK(res[http::field::content_length] == std::to_string(page.body.size()));
        CHECK(res.body() == page.body);
        CHECK(res["Refresh"] == "5");
        CHECK(res["Content-Disposition"] == "attachment; filename=a.csv");
        check_security_headers(res);
        CHECK(security_headers().size() == 6);
    }

    TEST_CASE("a page cannot weaken the security headers, split a header or break framing") {
        PageResponse page;
        page.status = 1000;
        page.headers = {{"Cache-Control", "public"},  {"X-Frame-Options", "ALLOW"},
                        {"Content-Length", "0"},      {"Transfer-Encoding", "chunked"},
                        {"Connection", "keep-alive"}, {"X-Evil", "a\r\nSet-Cookie: x=1"},
                        {"X-Bad\r\nName", "1"},       {"", "1"}};
        page.body = "body";
        const auto res = to_http_response(page, 10, false);
        CHECK(res.result_int() == 500);
        check_security_headers(res);
        CHECK(res[http::field::content_length] == "4");
        CHECK(res.count(http::field::transfer_encoding) == 0);
        CHECK(res.count("X-Evil") == 0);
        CHECK(res.count(http::field::set_cookie) == 0);
        CHECK_FALSE(res.keep_alive());
    }
}

}  // namespace response_headers_test
