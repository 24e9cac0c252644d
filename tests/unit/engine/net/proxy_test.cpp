#include "engine/net/proxy.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

namespace proxy_test {

using namespace rcbatch::engine;

TEST_SUITE("proxy") {
    TEST_CASE("NO_PROXY matches as curl matches it") {
        struct Row {
            std::string host, list;
            bool exempt;
        };
        const std::vector<Row> rows{
            {"httpapi.com", "", false},
            {"httpapi.com", "*", true},
            {"127.0.0.1", "*", true},
            {"httpapi.com", "*,other", false},  // "*" is special only as the whole list
            // A name: itself and what is under it, with or without a leading dot.
            {"httpapi.com", "httpapi.com", true},
            {"test.httpapi.com", "httpapi.com", true},
            {"test.httpapi.com", ".httpapi.com", true},
            {"httpapi.com", ".httpapi.com", true},
            {"nothttpapi.com", "httpapi.com", false},
            {"httpapi.com.evil", "httpapi.com", false},
            {"httpapi.com", "test.httpapi.com", false},
            // Case, trailing dots, separators.
            {"Test.HttpApi.COM", "httpapi.com", true},
            {"httpapi.com.", "httpapi.com", true},
            {"httpapi.com", "httpapi.com.", true},
            {"httpapi.com", "example.org, httpapi.com", true},
            {"httpapi.com", "example.org\thttpapi.com", true},
            {"httpapi.com", ",,example.org,,httpapi.com,", true},
            {"httpapi.com", "example.org,localhost", false},
            // Ports are not supported in entries: such an entry matches nothing.
            {"httpapi.com", "httpapi.com:443", false},
            // IP literals match addresses (and CIDR ranges), never names.
            {"127.0.0.1", "127.0.0.1", true},
            {"127.0.0.1", "localhost", false},
            {"127.0.0.1", "0.0.1", false},
            {"127.0.0.1", "127.0.0.0/8", true},
            {"10.1.2.3", "10.0.0.0/16", false},
            {"10.0.2.3", "10.0.0.0/16", true},
            {"127.0.0.1", "127.0.0.2/0", false},  // curl: /0 means the whole address
            {"127.0.0.1", "127.0.0.1/33", false},
            {"::1", "::1", true},
            {"[::1]", "::1", true},
            {"::1", "[::1]", true},
            {"2001:db8::5", "2001:db8::/32", true},
            {"2001:db9::5", "2001:db8::/32", false},
            {"::1", "127.0.0.1", false},
            {"localhost", "127.0.0.1", false},
        };
        for (const auto& row : rows) {
            CAPTURE(row.host);
            CAPTURE(row.list);
            CHECK(no_proxy_matches(row.host, row.list) == row.exempt);
        }
    }

    TEST_CASE("a proxy URL: http:// with optional userinfo and port; everything else refused") {
        auto ok = parse_proxy_url("http://us%40er:p%3Ass@Proxy.Example:3128/");
        REQUIRE(ok.proxy);
        CHECK(ok.error.empty());
        CHECK(ok.proxy->host == "Proxy.Example");
        CHECK(ok.proxy->port == 3128);
        CHECK(ok.proxy->user == "us@er");
        CHECK(ok.proxy->password == "p:ss");
        CHECK(ok.proxy->display() == "http://us@er:***@Proxy.Example:3128");

        auto bare = parse_proxy_url("proxy.example");  // no scheme: http, curl's port 1080
        REQUIRE(bare.proxy);
        CHECK(bare.proxy->port == 1080);
        CHECK(bare.proxy->display() == "http://proxy.example:1080");
        CHECK_FALSE(bare.proxy->has_credentials());

        auto v6 = parse_proxy_url("HTTP://[::1]:8080");
        REQUIRE(v6.proxy);
        CHECK(v6.proxy->host == "::1");
        CHECK(v6.proxy->authority() == "[::1]:8080");

        struct Bad {
            std::string url, says;
        };
        const std::vector<Bad> bad{
            {"https://user:secret@proxy:3128", "https:// proxy"},
            {"socks5://proxy:1080", "only http://"},
            {"http://user:secret@proxy:99999", "bad port"},
            {"http://user:secret@proxy:0", "bad port"},
            {"http://user:secret@proxy:3128/path", "path"},
            {"http://user:sec@ret@proxy:3128", "path"},
            {"http://", "not a proxy URL"},
        };
        for (const auto& b : bad) {
            CAPTURE(b.url);
            auto parsed = parse_proxy_url(b.url);
            CHECK_FALSE(parsed.proxy);
            CHECK(parsed.error.find(b.says) != std::string::npos);
            CHECK(parsed.error.find("secret") == std::string::npos);
            CHECK(parsed.error.find("sec@ret") == std::string::npos);
        }
    }

    TEST_CASE("redaction hides the password only") {
        CHECK(redact_proxy_url("http://u:pw@h:1") == "http://u:***@h:1");
        CHECK(redact_proxy_url("u:pw@h:1") == "u:***@h:1");
        CHECK(redact_proxy_url("http://u:p@w@h") == "http://u:***@h");
        CHECK(redact_proxy_url("http://u@h:1") == "http://u@h:1");
        CHECK(redact_proxy_url("http://h:1") == "http://h:1");
    }

    TEST_CASE(
        "the profile wins, then https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY; NO_PROXY exempts") {
        using Env = std::map<std::string, std::string>;
        struct Row {
            std::optional<std::string> profile;
            Env env;
            std::string host;
            std::string proxy;  // display(), empty: direct
            std::string source;
        };
        const std::vector<Row> rows{
            {std::nullopt, {}, "httpapi.com", "", ""},
            {std::nullopt,
             {{"HTTPS_PROXY", "http://a:1"}},
             "httpapi.com",
             "http://a:1",
             "HTTPS_PROXY"},
            {std::nullopt,
             {{"https_proxy", "http://a:1"}, {"HTTPS_PROXY", "http://b:1"}},
             "httpapi.com",
             "http://a:1",
             "https_proxy"},
            {std::nullopt,
             {{"all_proxy", "http://c:1"}, {"ALL_PROXY", "http://d:1"}},
             "httpapi.com",
             "http://c:1",
             "all_proxy"},
            {std::nullopt,
             {{"ALL_PROXY", "http://d:1"}, {"HTTPS_PROXY", "http://b:1"}},
             "httpapi.com",
             "http://b:1",
             "HTTPS_PROXY"},
            {std::nullopt, {{"http_proxy", "http://e:1"}}, "httpapi.com", "", ""},  // not for https
            {std::nullopt,
             {{"HTTPS_PROXY", "http://b:1"}, {"NO_PROXY", "httpapi.com"}},
             "test.httpapi.com",
             "",
             ""},
            {std::nullopt,
             {{"HTTPS_PROXY", "http://b:1"}, {"no_proxy", "other"}, {"NO_PROXY", "*"}},
             "httpapi.com",
             "http://b:1",
             "HTTPS_PROXY"},  // no_proxy is read first, NO_PROXY only when it is unset
            {"http://p:2", {{"HTTPS_PROXY", "http://b:1"}}, "httpapi.com", "http://p:2", "profile"},
            {"http://p:2", {{"NO_PROXY", "*"}}, "httpapi.com", "http://p:2", "profile"},
            {"",
             {{"HTTPS_PROXY", "http://b:1"}},
             "httpapi.com",
             "",
             "profile"},  // proxy = "": direct
        };
        for (const auto& row : rows) {
            CAPTURE(row.host);
            CAPTURE(row.proxy);
            auto d = choose_proxy(row.profile, row.host, row.env);
            CHECK(d.error.empty());
            CHECK((d.proxy ? d.proxy->display() : std::string()) == row.proxy);
            CHECK(d.source == row.source);
        }
    }

    TEST_CASE("a bad proxy URL from the environment is an error naming the variable, redacted") {
        auto d =
            choose_proxy(std::nullopt, "httpapi.com", {{"HTTPS_PROXY", "https://u:topsecret@p:1"}});
        CHECK_FALSE(d.proxy);
        CHECK(d.error.rfind("HTTPS_PROXY 'https://u:***@p:1'", 0) == 0);
        CHECK(d.error.find("topsecret") == std::string::npos);
        // ... unless NO_PROXY exempts the host: then the proxy is never used.
        CHECK(choose_proxy(std::nullopt, "httpapi.com",
                           {{"HTTPS_PROXY", "https://p"}, {"NO_PROXY", "*"}})
                  .error.empty());
    }

    TEST_CASE("Proxy-Authorization is Basic base64(user:password)") {
        ProxySettings p;
        p.host = "h";
        CHECK(proxy_authorization(p).empty());
        p.user = "Aladdin";
        p.password = "open sesame";
        CHECK(proxy_authorization(p) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        p.password.clear();
        CHECK(proxy_authorization(p) == "Basic QWxhZGRpbjo=");
    }
}

}  // namespace proxy_test
