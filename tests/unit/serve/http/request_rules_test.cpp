#include "serve/http/request_rules.hpp"

#include "serve/http/login_page.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <doctest/doctest.h>

#include <cstring>
#include <memory>

namespace request_rules_test {

using namespace rcbatch::serve;
namespace http = boost::beast::http;

namespace {

const std::optional<std::string> token = std::string("0123456789abcdefXYZ");
const std::optional<std::string> no_token;
constexpr std::size_t target_bytes = 2048;

RequestFacts get(std::string_view target) { return RequestFacts{"GET", target, {}, {}, {}, {}}; }

std::string header(const PageResponse& page, std::string_view name) {
    for (const auto& [n, v] : page.headers)
        if (n == name) return v;
    return "";
}

// The status the server answers itself, or 0 when the handler answers.
unsigned status(const RequestFacts& r, const std::optional<std::string>& t) {
    auto answer = answer_before_handler(r, t, target_bytes);
    return answer ? answer->response.status : 0;
}

}  // namespace

TEST_SUITE("serve request rules") {
    TEST_CASE("without a token every GET, HEAD and /login goes to the handler") {
        CHECK(status(get("/"), no_token) == 0);
        CHECK(status(get("/run/12?x=1"), no_token) == 0);
        CHECK(status(get("/login"), no_token) == 0);
        CHECK(status({"HEAD", "/", {}, {}, {}, {}}, no_token) == 0);
        CHECK(status({"POST", "/login", {}, {}, {}, "a=b"}, no_token) == 0);
    }

    TEST_CASE("targets, methods and POSTs the server does not serve") {
        struct Case {
            RequestFacts request;
            unsigned status;
            const char* allow;
        };
        const std::string long_target = "/" + std::string(target_bytes, 'a');
        for (const auto& t : {no_token, token}) {
            for (const Case& c : {
                     Case{get("*"), 400, ""},
                     Case{get("http://example.com/"), 400, ""},
                     Case{get(long_target), 414, ""},
                     Case{{"PUT", "/", {}, {}, {}, {}}, 405, "GET, HEAD"},
                     Case{{"DELETE", "/login", {}, {}, {}, {}}, 405, "GET, HEAD, POST"},
                     Case{{"FOO", "/", {}, {}, {}, {}}, 405, "GET, HEAD"},
                     Case{{"get", "/", {}, {}, {}, {}}, 405, "GET, HEAD"},
                     Case{{"POST", "/", {}, {}, {}, {}}, 405, "GET, HEAD"},
                     Case{{"POST", "/run/1", {}, {}, {}, {}}, 405, "GET, HEAD"},
                 }) {
                CAPTURE(c.request.method);
                CAPTURE(c.request.target.substr(0, 40));
                auto answer = answer_before_handler(c.request, t, target_bytes);
                REQUIRE(answer);
                CHECK(answer->response.status == c.status);
                CHECK(header(answer->response, "Allow") == c.allow);
                CHECK_FALSE(answer->close);
                CHECK(answer->response.body.find("example.com") == std::string::npos);
            }
        }
        CHECK(status(get("/" + std::string(target_bytes - 1, 'a')), no_token) == 0);
    }

    TEST_CASE("with a token a page needs the bearer token or the cookie") {
        const std::string bearer = "Bearer " + *token;
        const std::string cookie = "a=b; rcbatch_token=" + *token;
        const std::string longer = bearer + "x";
        CHECK(status({"GET", "/", bearer, {}, {}, {}}, token) == 0);
        CHECK(status({"HEAD", "/run/1", bearer, {}, {}, {}}, token) == 0);
        CHECK(status({"GET", "/", {}, cookie, {}, {}}, token) == 0);
        for (const RequestFacts& r : {
                 get("/"),
                 RequestFacts{"GET", "/", "Bearer wrong", {}, {}, {}},
                 RequestFacts{"GET", "/", longer, {}, {}, {}},
                 RequestFacts{"GET", "/", {}, "rcbatch_token=0123456789abcdefXY", {}, {}},
                 RequestFacts{"HEAD", "/", {}, {}, {}, {}},
             }) {
            CAPTURE(r.authorization);
            CAPTURE(r.cookie);
            auto answer = answer_before_handler(r, token, target_bytes);
            REQUIRE(answer);
            CHECK(answer->response.status == 401);
            CHECK(header(answer->response, "WWW-Authenticate") == "Bearer");
            CHECK(answer->response.body.find("href=\"/login\"") != std::string::npos);
        }
    }

    TEST_CASE("with a token GET /login is the form and POST /login checks the token") {
        auto form = answer_before_handler(get("/login"), token, target_bytes);
        REQUIRE(form);
        CHECK(form->response.status == 200);
        CHECK(form->response.body.find("<form method=\"post\" action=\"/login\">") !=
              std::string::npos);
        CHECK(form->response.body.find("name=\"token\"") != std::string::npos);
        CHECK(form->response.body.find("<script") == std::string::npos);
        CHECK(form->response.body.find("style") == std::string::npos);

        const std::string right = "token=" + *token;
        constexpr std::string_view form_type = "application/x-www-form-urlencoded";
        auto ok = answer_before_handler({"POST", "/login", {}, {}, form_type, right}, token,
                                        target_bytes);
        REQUIRE(ok);
        CHECK(ok->response.status == 303);
        CHECK(header(ok->response, "Location") == "/");
        CHECK(header(ok->response, "Set-Cookie") ==
              "rcbatch_token=" + *token + "; HttpOnly; SameSite=Strict; Path=/");
        RequestFacts over_tls{
            "POST", "/login", {}, {}, "Application/X-WWW-Form-Urlencoded; charset=utf-8", right};
        over_tls.tls = true;
        auto secure = answer_before_handler(over_tls, token, target_bytes);
        REQUIRE(secure);
        CHECK(header(secure->response, "Set-Cookie").ends_with("; Path=/; Secure"));

        for (const std::string& body :
             {std::string("token=wrong"), std::string("token="), std::string("other=1"),
              std::string(""), "token=" + *token + "x", std::string("token=%zz")}) {
            CAPTURE(body);
            auto wrong = answer_before_handler({"POST", "/login", {}, {}, form_type, body}, token,
                                               target_bytes);
            REQUIRE(wrong);
            CHECK(wrong->response.status == 401);
            CHECK(header(wrong->response, "Set-Cookie").empty());
            CHECK(wrong->response.body.find("not right") != std::string::npos);
            CHECK(wrong->response.body.find("<form") != std::string::npos);
        }
        CHECK(status({"POST", "/login", {}, {}, "text/plain", right}, token) == 415);
        CHECK(status({"POST", "/login", {}, {}, "multipart/form-data", right}, token) == 415);
    }

    TEST_CASE("the login form's token field is percent- and plus-decoded") {
        CHECK(token_from_login_form("token=abc") == "abc");
        CHECK(token_from_login_form("a=1&token=a%2Bb%3D&c=2") == "a+b=");
        CHECK(token_from_login_form("token=a+b") == "a b");
        CHECK(token_from_login_form("tok%65n=x") == "x");
        CHECK_FALSE(token_from_login_form("token"));
        CHECK_FALSE(token_from_login_form("other=x"));
        CHECK_FALSE(token_from_login_form("token=%g1"));
        CHECK(is_form_content_type(" application/x-www-form-urlencoded ;charset=UTF-8"));
        CHECK_FALSE(is_form_content_type("application/x-www-form-urlencodedx"));
        CHECK_FALSE(is_form_content_type(""));
    }

    TEST_CASE("the form is read within its bytes: Boost 1.81's parse_query reads to a NUL") {
        // A body that is a view into a larger buffer, with no NUL after it (found by
        // fuzz/fuzz_request_rules; boostorg/url#757): only its own bytes are read. Under
        // AddressSanitizer the unfixed code reads past the heap block.
        const std::string whole = "token=0123456789abcdefXY/x";
        const auto block = std::make_unique<char[]>(whole.size());
        std::memcpy(block.get(), whole.data(), whole.size());
        CHECK(token_from_login_form(std::string_view(block.get(), 9)) == "012");
        CHECK(token_from_login_form(std::string_view(block.get(), whole.size())) ==
              "0123456789abcdefXY/x");
        // A raw NUL is no form (a browser sends %00).
        CHECK_FALSE(token_from_login_form(std::string_view("token=ab\0cd", 11)));
        CHECK(token_from_login_form("token=ab%00cd") == std::string("ab\0cd", 5));
    }

    TEST_CASE("a request Beast could not read is answered 4xx then closed, or just closed") {
        struct Case {
            boost::system::error_code ec;
            std::string_view unparsed;
            unsigned status;  // 0: closed without an answer
        };
        for (const Case& c : {
                 Case{http::error::header_limit, "GET /aaaaaaaa", 414},
                 Case{http::error::header_limit, "GET / HTTP/1.1\r\nX: aaaa", 431},
                 Case{http::error::body_limit, "", 413},
                 Case{http::error::bad_method, "", 400},
                 Case{http::error::bad_version, "", 400},
                 Case{http::error::bad_field, "", 400},
                 Case{http::error::bad_value, "", 400},
                 Case{http::error::bad_target, "", 400},
                 Case{http::error::end_of_stream, "", 0},
                 Case{http::error::partial_message, "", 0},
                 Case{boost::beast::error::timeout, "", 0},
                 Case{boost::asio::error::connection_reset, "", 0},
                 Case{boost::asio::error::operation_aborted, "", 0},
             }) {
            CAPTURE(c.ec.message());
            auto answer = answer_to_read_error(c.ec, c.unparsed);
            CHECK((answer ? answer->response.status : 0) == c.status);
            if (answer) CHECK(answer->close);
        }
    }

    TEST_CASE("busy and handler failures are fixed texts") {
        auto busy = answer_busy();
        CHECK(busy.response.status == 503);
        CHECK(busy.close);
        CHECK(handler_failed().status == 500);
        CHECK(handler_failed().body == "Internal server error\n");
        CHECK(path_of("/run/1?x=/login#y") == "/run/1");
    }

    TEST_CASE("without a token, only a loopback Host is served (DNS rebinding)") {
        for (const char* host : {"", "localhost", "LOCALHOST:8765", "127.0.0.1", "127.0.0.1:8765",
                                 "127.1.2.3:80", "[::1]", "[::1]:8765"}) {
            CAPTURE(host);
            CHECK(loopback_host(host));
            CHECK(status(RequestFacts{"GET", "/", {}, {}, {}, {}, false, host}, std::nullopt) == 0);
        }
        for (const char* host : {"evil.example", "evil.example:8765", "localhost.evil.example",
                                 "10.0.0.1", "[::2]", "[::1", "[::1]x", "127.0.0.1.nip.io"}) {
            CAPTURE(host);
            CHECK_FALSE(loopback_host(host));
            CHECK(status(RequestFacts{"GET", "/", {}, {}, {}, {}, false, host}, std::nullopt) ==
                  403);
        }
        // A NUL ends the text inet_pton reads: what follows it must not hide.
        CHECK_FALSE(loopback_host(std::string_view("127.0.0.1\0.evil.example", 23)));
        CHECK_FALSE(loopback_host(std::string_view("[::1\0]", 6)));
        // With a token, any name (behind a proxy, on a real address): the token decides.
        CHECK(status(RequestFacts{"GET",
                                  "/",
                                  "Bearer 0123456789abcdefXYZ",
                                  {},
                                  {},
                                  {},
                                  false,
                                  "rcbatch.example.com"},
                     std::string("0123456789abcdefXYZ")) == 0);
    }
}

}  // namespace request_rules_test
