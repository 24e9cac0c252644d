// `rcbatch serve` on an address other than loopback, through the built binary: it refuses to
// start without a token file (or with one others can read, or one too short), and with one it
// warns about TLS and answers only requests that carry the token, as a bearer or as the cookie
// the login form sets. It binds every interface; the test connects through 127.0.0.1 only.

#include "tests/e2e/serve/serve_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace token_test {

namespace fs = std::filesystem;
using rcbatch::test::check_security_headers;
using rcbatch::test::http_get;
using rcbatch::test::LedgerWithRuns;
using rcbatch::test::raw_request;
using rcbatch::test::raw_response;
using rcbatch::test::run_rcbatch;

namespace {

const std::string token = "Tok3n-for-the-e2e-tests-0123456789";

fs::path token_file(const fs::path& dir, const std::string& name, const std::string& text,
                    mode_t mode) {
    const fs::path file = dir / name;
    std::ofstream(file) << text;
    REQUIRE(::chmod(file.c_str(), mode) == 0);
    return file;
}

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_SUITE("e2e: rcbatch serve off loopback needs a token") {
    TEST_CASE("without a usable token file it does not start: exit 2, one line") {
        rcbatch::test::TempDir tmp{"rcbatch-e2e-serve-token"};
        const std::map<std::string, std::string> env{
            {"RCBATCH_STATE_DIR", (tmp.path / "state").string()}};
        for (const char* listen : {"0.0.0.0:0", "[::]:0"}) {
            CAPTURE(listen);
            const auto r = run_rcbatch({"serve", "--listen", listen}, env);
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            CHECK(r.out.empty());
            CHECK(lines(r.err) == 1);
            CHECK(r.err.find("--token-file") != std::string::npos);
        }
        struct Case {
            std::string name, text;
            mode_t mode;
        };
        for (const Case& c : std::vector<Case>{{"token-0644", token + "\n", 0644},
                                               {"token-0640", token + "\n", 0640},
                                               {"token-0604", token + "\n", 0604},
                                               {"token-short", "short-token-15c\n", 0600},
                                               {"token-empty", "", 0600},
                                               {"token-two-lines", token + "\n" + token, 0600}}) {
            CAPTURE(c.name);
            const fs::path file = token_file(tmp.path, c.name, c.text, c.mode);
            const auto r =
                run_rcbatch({"serve", "--listen", "0.0.0.0:0", "--token-file", file.string()}, env);
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            CHECK(r.out.empty());
            CHECK(lines(r.err) == 1);
            CHECK(r.err.find(file.string()) != std::string::npos);
            CHECK(r.err.find(token) == std::string::npos);  // never echoed
        }
        const auto missing = run_rcbatch(
            {"serve", "--listen", "0.0.0.0:0", "--token-file", (tmp.path / "none").string()}, env);
        CHECK(missing.exit_code == 2);
        CHECK(missing.err.find((tmp.path / "none").string()) != std::string::npos);
    }

    TEST_CASE("with a token: a TLS warning, 401 without the right token, 200 with it") {
        LedgerWithRuns ledger;
        const fs::path folder = ledger.renew("renew-three", rcbatch::test::active_us_backups(3));
        const std::string csv = rcbatch::test::slurp(folder / "results.csv");
        const fs::path file = token_file(ledger.tmp.path, "token", token + "\n", 0600);
        auto serve = rcbatch::test::start_serve(
            ledger.env, {"--listen", "0.0.0.0:0", "--token-file", file.string()});
        REQUIRE(serve.url.starts_with("http://0.0.0.0:"));
        const unsigned short port = serve.port;

        // No token, or the wrong one: 401, and nothing of the ledger.
        for (const std::string& headers : std::vector<std::string>{
                 std::string(), "Authorization: Bearer wrong-token-wrong-token\r\n",
                 "Authorization: Bearer " + token.substr(0, token.size() - 1) + "\r\n",
                 "Authorization: Bearer " + token + "x\r\n",
                 "Authorization: Basic " + token + "\r\n", "Authorization: " + token + "\r\n",
                 "Cookie: rcbatch_token=wrong-token-wrong\r\n", "Cookie: other=" + token + "\r\n",
                 "X-Token: " + token + "\r\n"}) {
            CAPTURE(headers);
            for (const char* target : {"/", "/run/1", "/run/1/files/results.csv", "/metrics",
                                       "/search?q=renew-three", "/static/rcbatch.css"}) {
                CAPTURE(target);
                const auto r = http_get(port, target, headers);
                CHECK(r.status == 401);
                CHECK(r.header("WWW-Authenticate").starts_with("Bearer"));
                CHECK(r.body.find("renew-three") == std::string::npos);
                CHECK(r.body.find(csv.substr(0, 40)) == std::string::npos);
                check_security_headers(r);
            }
        }
        // The server writes its warning before it serves: an answer means it is on stderr.
        const std::string err = serve.process->err();
        CAPTURE(err);
        CHECK(err.find("WARNING: not behind TLS") != std::string::npos);
        CHECK(err.find(token) == std::string::npos);

        // The right bearer, in any case of its scheme.
        for (const std::string scheme : {"Bearer", "bearer", "BEARER"}) {
            const auto page =
                http_get(port, "/", "Authorization: " + scheme + " " + token + "\r\n");
            CHECK(page.status == 200);
            CHECK(page.body.find("renew-three") != std::string::npos);
        }
        const auto download =
            http_get(port, "/run/1/files/results.csv", "Authorization: Bearer " + token + "\r\n");
        CHECK(download.status == 200);
        CHECK(download.body == csv);

        // The login form: a wrong token is refused, the right one sets the cookie.
        const std::string form = "Content-Type: application/x-www-form-urlencoded\r\n";
        const auto wrong = raw_response(port, raw_request("POST", "/login", form, "token=wrong"));
        CHECK(wrong.status == 401);
        CHECK_FALSE(wrong.has_header("Set-Cookie"));
        const auto login =
            raw_response(port, raw_request("POST", "/login", form, "token=" + token));
        REQUIRE(login.status == 303);
        CHECK(login.header("Location") == "/");
        const std::string cookie = login.header("Set-Cookie");
        CAPTURE(cookie);
        REQUIRE(cookie.starts_with("rcbatch_token="));
        CHECK(cookie.find("HttpOnly") != std::string::npos);
        CHECK(cookie.find("SameSite=Strict") != std::string::npos);
        check_security_headers(login);
        const std::string pair = cookie.substr(0, cookie.find(';'));
        const auto with_cookie = http_get(port, "/run/1", "Cookie: a=b; " + pair + "\r\n");
        CHECK(with_cookie.status == 200);
        CHECK(with_cookie.body.find("renew-three") != std::string::npos);
        check_security_headers(with_cookie);

        CHECK(serve.process->wait(std::chrono::milliseconds(0)) == std::nullopt);
    }
}

}  // namespace token_test
