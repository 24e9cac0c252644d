// What every response of the built `rcbatch serve` carries, and the small rules of its
// requests: a query value over the limit is 400 (one at the limit is served), HEAD gets the
// headers and no body (the next request on the connection reads cleanly after it), and every
// response — a page, the style sheet, a download, a 4xx of the pages or of the server itself —
// has the Content-Security-Policy, nosniff, Referrer-Policy and no-store headers.

#include "tests/e2e/serve/serve_fixture.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace headers_test {

using rcbatch::test::check_security_headers;
using rcbatch::test::http_get;
using rcbatch::test::LedgerWithRuns;
using rcbatch::test::raw_exchanges;
using rcbatch::test::raw_request;
using rcbatch::test::RawSend;

namespace {
// serve/pages/page_query.hpp's max_query_value_bytes.
constexpr std::size_t query_value_limit = 512;
}  // namespace

TEST_SUITE("e2e: rcbatch serve's headers and request rules") {
    TEST_CASE("a query value over the limit is 400; HEAD has no body; every answer is guarded") {
        LedgerWithRuns ledger;
        const auto ids = rcbatch::test::active_us_backups(3);
        ledger.renew("renew-three", ids);
        auto serve = rcbatch::test::start_serve(ledger.env);

        // A value at the limit is served, one byte more is refused, on every page taking one.
        for (const std::string& page :
             {std::string("/runs?job="), std::string("/search?q="), std::string("/run/1?q="),
              std::string("/order/" + std::to_string(ids[0]) + "?x=")}) {
            CAPTURE(page);
            const auto at = http_get(serve.port, page + std::string(query_value_limit, 'v'));
            CHECK(at.status == 200);
            check_security_headers(at);
            const auto over = http_get(serve.port, page + std::string(query_value_limit + 1, 'v'));
            CHECK(over.status == 400);
            CHECK(over.body.find(std::string(64, 'v')) == std::string::npos);  // not echoed
            check_security_headers(over);
            // Encoded, the limit is on the decoded value.
            std::string encoded;
            for (std::size_t i = 0; i < query_value_limit + 1; ++i) encoded += "%41";
            CHECK(http_get(serve.port, page + encoded).status == 400);
        }

        // HEAD: the GET's headers and length, no body: the GET after it on the same
        // connection is read as the next response.
        const auto get = http_get(serve.port, "/run/1");
        REQUIRE(get.status == 200);
        const std::string head_then_get =
            "HEAD /run/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + raw_request("GET", "/metrics");
        const auto ex = raw_exchanges(serve.port, {RawSend{head_then_get, 2, true}});
        CAPTURE(ex[0].end);
        REQUIRE(ex[0].responses.size() == 2);
        const auto& head = ex[0].responses[0];
        CHECK(head.status == 200);
        CHECK(head.body.empty());
        CHECK(head.header("Content-Length") == std::to_string(get.body.size()));
        CHECK(head.header("Content-Type") == get.header("Content-Type"));
        check_security_headers(head);
        CHECK(ex[0].responses[1].status == 200);
        CHECK(ex[0].responses[1].body.find("# HELP") != std::string::npos);
        CHECK(ex[0].responses[1].body.find("<html") == std::string::npos);

        // Every kind of answer carries the guards.
        const std::vector<std::pair<std::string, unsigned>> answers{
            {raw_request("GET", "/"), 200},
            {raw_request("GET", "/static/rcbatch.css"), 200},
            {raw_request("GET", "/run/1/files/results.csv"), 200},
            {raw_request("GET", "/run/1/files/summary.json"), 200},
            {raw_request("GET", "/metrics"), 200},
            {raw_request("GET", "/run/999"), 404},
            {raw_request("GET", "/run/1?sort=nonsense"), 400},
            {raw_request("GET", "/runs?from=yesterday"), 400},
            {raw_request("GET", "/%ff"), 400},
            {raw_request("DELETE", "/"), 405},
            {raw_request("POST", "/run/1", "", "x=1"), 405},
            {raw_request("GET", "/" + std::string(3000, 'u')), 414},
            {raw_request("GET", "/", "X-Big: " + std::string(9000, 'h') + "\r\n"), 431},
            {raw_request("POST", "/login", "", std::string(5000, 'b')), 413},
            {"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon\r\n\r\n", 400},
        };
        std::vector<RawSend> sends;
        for (const auto& [bytes, status] : answers) sends.push_back(RawSend{bytes});
        const auto seen = raw_exchanges(serve.port, sends, 4);
        for (std::size_t i = 0; i < answers.size(); ++i) {
            CAPTURE(answers[i].first.substr(0, 60));
            CAPTURE(seen[i].end);
            REQUIRE(seen[i].responses.size() == 1);
            const auto& r = seen[i].responses[0];
            CHECK(r.status == answers[i].second);
            check_security_headers(r);
            CHECK(r.header("Content-Security-Policy").find("unsafe-inline") == std::string::npos);
            CHECK(r.has_header("Content-Type"));
        }
    }
}

}  // namespace headers_test
