// The API key on no page of `rcbatch serve`, through the built binary: every link reachable
// from the front page (two levels, as a crawler goes: runs, run pages with their sort and
// filter links, orders, searches, the files as downloads, /metrics) answers 200 with the
// security headers and holds the key in no header and no body; a key a run folder quotes as
// `api-key=` (a server echoing a request) is shown as *** on the pages and in the downloads.

#include "tests/e2e/serve/serve_fixture.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace api_key_test {

namespace fs = std::filesystem;
using rcbatch::test::check_security_headers;
using rcbatch::test::http_get;
using rcbatch::test::LedgerWithRuns;
using rcbatch::test::slurp;

namespace {

constexpr std::size_t most_pages = 400;

// Replaces every `from` in every file of `folder` by `to`; how many it replaced.
std::size_t replace_in_folder(const fs::path& folder, const std::string& from,
                              const std::string& to) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(folder)) {
        if (!e.is_regular_file()) continue;
        std::string text = slurp(e.path());
        for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
            text.replace(at, from.size(), to);
            ++n;
        }
        std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << text;
    }
    return n;
}

}  // namespace

TEST_SUITE("e2e: rcbatch serve shows the API key nowhere") {
    TEST_CASE("every page and download reachable from / holds no key, in no header or body") {
        LedgerWithRuns ledger;
        const auto ids = rcbatch::test::active_us_backups(3);
        ledger.renew("renew-three", ids);
        ledger.renew("renew-refused", {ids[0], 99999999, ids[1]}, 1);
        const std::string key = ledger.sandbox.api_key;
        REQUIRE(key.size() >= 16);
        auto serve = rcbatch::test::start_serve(ledger.env);

        std::set<std::string> seen;
        std::deque<std::pair<std::string, int>> queue{{"/", 0},
                                                      {"/metrics", 2},
                                                      {"/search?q=" + std::to_string(ids[0]), 1},
                                                      {"/search?q=renew-refused", 1},
                                                      {"/search?q=99999999", 1},
                                                      {"/order/" + std::to_string(ids[0]), 1},
                                                      {"/order/99999999", 1},
                                                      {"/static/rcbatch.css", 2}};
        std::size_t downloads = 0;
        while (!queue.empty() && seen.size() < most_pages) {
            auto [target, depth] = queue.front();
            queue.pop_front();
            if (!seen.insert(target).second) continue;
            CAPTURE(target);
            const auto r = http_get(serve.port, target);
            CHECK(r.status == 200);
            check_security_headers(r);
            CHECK(r.head().find(key) == std::string::npos);
            CHECK(r.body.find(key) == std::string::npos);
            if (target.find("/files/") != std::string::npos) ++downloads;
            if (depth >= 2 || !r.header("Content-Type").starts_with("text/html")) continue;
            for (const std::string& link : rcbatch::test::site_links(r.body))
                queue.emplace_back(rcbatch::test::target_of_href(link), depth + 1);
        }
        MESSAGE(seen.size() << " pages read, " << downloads << " of them downloads");
        CHECK(seen.size() > 30);
        CHECK(seen.size() < most_pages);  // all of them, not the first few hundred
        CHECK(downloads >= 8);            // both runs' files
        CHECK(seen.count("/run/2?show=attention#orders") == 0);  // fragments are not sent
        for (const char* page : {"/run/1", "/run/2", "/runs?job=renew-refused"})
            CHECK(seen.count(page) == 1);
    }

    TEST_CASE("a key a run folder quotes as api-key= is *** on the pages and in the downloads") {
        LedgerWithRuns ledger;
        const auto ids = rcbatch::test::active_us_backups(2);
        const fs::path folder = ledger.renew("renew-refused", {ids[0], 99999999, ids[1]}, 1);
        const std::string key = ledger.sandbox.api_key;
        // A server that echoed the request into its message, in every file that holds it.
        const std::string said = "No Entity found for Entityid: 99999999";
        REQUIRE(replace_in_folder(
                    folder, said,
                    said + " (request: auth-userid=1&api-key=" + key + "&order-id=9)") >= 2);
        REQUIRE(slurp(folder / "results.jsonl").find(key) != std::string::npos);
        auto serve = rcbatch::test::start_serve(ledger.env);

        const auto page = http_get(serve.port, "/run/1");
        CHECK(page.status == 200);
        CHECK(page.body.find(said + " (request: auth-userid=1&amp;api-key=***&amp;order-id=9)") !=
              std::string::npos);
        CHECK(page.body.find(key) == std::string::npos);
        for (const std::string& target :
             {std::string("/run/1?show=attention"), std::string("/run/1?q=99999999"),
              std::string("/search?q=99999999"), std::string("/order/99999999")}) {
            CAPTURE(target);
            const auto r = http_get(serve.port, target);
            CHECK(r.status == 200);
            CHECK(r.body.find(key) == std::string::npos);
        }
        for (const char* name : {"results.csv", "results.jsonl", "results.junit.xml"}) {
            CAPTURE(name);
            const auto file = http_get(serve.port, std::string("/run/1/files/") + name);
            CHECK(file.status == 200);
            CHECK(file.body.find("api-key=***") != std::string::npos);
            CHECK(file.body.find(key) == std::string::npos);
        }
    }

    TEST_CASE(
        "a bare key a run folder quotes is *** on the pages and in the downloads, whether "
        "serve was given the key (RCBATCH_API_KEY) or not (it looks like a key)") {
        LedgerWithRuns ledger;
        const auto ids = rcbatch::test::active_us_backups(2);
        const fs::path folder = ledger.renew("renew-refused", {ids[0], 99999999, ids[1]}, 1);
        const std::string key = ledger.sandbox.api_key;
        const std::string said = "No Entity found for Entityid: 99999999";
        REQUIRE(replace_in_folder(folder, said, said + " (echo " + key + ")") >= 2);
        auto without_key = ledger.env;
        without_key.erase("RCBATCH_API_KEY");
        for (const auto& env : {ledger.env, without_key}) {
            CAPTURE(env.count("RCBATCH_API_KEY"));
            auto serve = rcbatch::test::start_serve(env);
            const auto page = http_get(serve.port, "/run/1");
            CHECK(page.status == 200);
            CHECK(page.body.find(said + " (echo ***)") != std::string::npos);
            CHECK(page.body.find(key) == std::string::npos);
            for (const char* name : {"results.csv", "results.jsonl", "results.junit.xml"}) {
                CAPTURE(name);
                const auto file = http_get(serve.port, std::string("/run/1/files/") + name);
                CHECK(file.status == 200);
                CHECK(file.body.find("(echo ***)") != std::string::npos);
                CHECK(file.body.find(key) == std::string::npos);
            }
        }
    }
}

}  // namespace api_key_test
