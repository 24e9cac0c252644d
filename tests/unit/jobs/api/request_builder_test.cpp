#include "jobs/api/request_builder.hpp"

#include "jobs/actions/registry.hpp"
#include "sandbox/api/params.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace request_builder_test {

using namespace rcbatch;
using namespace rcbatch::jobs;

namespace {

const ActionSpec& action(std::string_view name) {
    const ActionSpec* spec = find_action(name);
    REQUIRE(spec != nullptr);
    return *spec;
}

// Decodes a query or form body with Boost.URL, as a server would.
std::vector<std::pair<std::string, std::string>> decode(std::string_view encoded_query) {
    const std::string text = "/x?" + std::string(encoded_query);
    auto url = boost::urls::parse_relative_ref(text);
    REQUIRE(url.has_value());
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : url->params()) out.emplace_back(p.key, p.value);
    return out;
}

CallParams renew_call() {
    CallParams call;
    call.path = "/api/backup/us/renew.json";
    call.auth_userid = "123456";
    call.api_key = "k3y";
    call.order_id = "91234567";
    call.params = {{"months", std::int64_t{12}},
                   {"invoice-option", std::string("NoInvoice")},
                   {"auto-renew", false},
                   {"discount-amount", 12.5}};
    return call;
}

}  // namespace

TEST_SUITE("request_builder") {
    TEST_CASE("POST puts auth and params in a form body, the target is the path only") {
        const engine::HttpRequest r = build_request(action("backup.renew"), renew_call());
        CHECK(r.method == rcbatch::engine::HttpMethod::post);
        CHECK(r.mutating);
        CHECK(r.target == "/api/backup/us/renew.json");
        CHECK(r.body ==
              "auth-userid=123456&api-key=k3y&backup-order-id=91234567&months=12"
              "&invoice-option=NoInvoice&auto-renew=false&discount-amount=12.5");
    }

    TEST_CASE("POST with params in the query string when the option says so") {
        CallParams call = renew_call();
        call.post_params_in_query = true;
        const engine::HttpRequest r = build_request(action("backup.renew"), call);
        CHECK(r.method == rcbatch::engine::HttpMethod::post);
        CHECK(r.body.empty());
        CHECK(r.target.starts_with("/api/backup/us/renew.json?auth-userid=123456&api-key=k3y&"));
    }

    TEST_CASE("GET puts everything in the query; lists are repeated keys") {
        CallParams call;
        call.path = "/api/backup/asia/search.json";
        call.auth_userid = "1";
        call.api_key = "k";
        call.params = {{"no-of-records", std::int64_t{500}},
                       {"page-no", std::int64_t{1}},
                       {"status", std::vector<std::string>{"Active", "Pending Delete Restorable"}},
                       {"order-id", std::vector<std::int64_t>{7, 8}}};
        const engine::HttpRequest r = build_request(action("backup.search"), call);
        CHECK(r.method == rcbatch::engine::HttpMethod::get);
        CHECK_FALSE(r.mutating);
        CHECK(r.body.empty());
        CHECK(r.target ==
              "/api/backup/asia/search.json?auth-userid=1&api-key=k&no-of-records=500&page-no=1"
              "&status=Active&status=Pending%20Delete%20Restorable&order-id=7&order-id=8");
    }

    TEST_CASE("keys and values with characters that need encoding round-trip") {
        const std::vector<std::string> hostile = {"a+b",  "a&api-key=x", "p=q",         "sp ace",
                                                  "100%", "#frag",       "caf\xc3\xa9", "/?:@"};
        for (const std::string& key : hostile) {
            CAPTURE(key);
            CallParams call = renew_call();
            call.api_key = key;
            call.params = {{"invoice-option", key}};
            for (bool in_query : {false, true}) {
                CAPTURE(in_query);
                call.post_params_in_query = in_query;
                const engine::HttpRequest r = build_request(action("backup.renew"), call);
                const std::string_view query =
                    in_query ? std::string_view(r.target).substr(r.target.find('?') + 1)
                             : std::string_view(r.body);
                CHECK(query.find('+') == std::string_view::npos);  // '+' would decode as space
                const auto pairs = decode(query);
                REQUIRE(pairs.size() == 4);
                CHECK(pairs[1] == std::pair<std::string, std::string>{"api-key", key});
                CHECK(pairs[3] == std::pair<std::string, std::string>{"invoice-option", key});
                // never in the clear in previews and logs
                const std::string line = describe(r);
                CHECK(line.find("api-key=***") != std::string::npos);
                CHECK(redact(line, key).find(key) == std::string::npos);
            }
        }
    }

    TEST_CASE("numbers are written without exponent") {
        struct Case {
            double in;
            const char* out;
        };
        for (const Case& c : std::vector<Case>{{0.0, "0"},
                                               {-0.0, "0"},
                                               {12.5, "12.5"},
                                               {0.1, "0.1"},
                                               {1e6, "1000000"},
                                               {1e21, "1000000000000000000000"},
                                               {0.000001, "0.000001"},
                                               {19.999, "19.999"}}) {
            CAPTURE(c.in);
            CHECK(format_number(c.in) == c.out);
        }
        CHECK_THROWS_AS(format_number(std::nan("")), std::invalid_argument);
        CHECK_THROWS_AS(format_number(1.0 / 0.0), std::invalid_argument);
    }

    TEST_CASE("an action with an id parameter refuses to build without an order id") {
        CallParams call = renew_call();
        call.order_id.clear();
        CHECK_THROWS_AS(build_request(action("backup.renew"), call), std::invalid_argument);
        call.path = "/api/products/plan-details.json";
        call.params.clear();
        const engine::HttpRequest r = build_request(action("plan.details"), call);
        CHECK(r.target == "/api/products/plan-details.json?auth-userid=123456&api-key=k3y");
    }

    TEST_CASE("redact hides every api-key value and nothing else") {
        struct Case {
            const char* name;
            const char* in;
            const char* out;
        };
        const std::vector<Case> cases = {
            {"query", "GET /a.json?auth-userid=1&api-key=s3cr3t&order-id=2",
             "GET /a.json?auth-userid=1&api-key=***&order-id=2"},
            {"at the end", "auth-userid=1&api-key=s3cr3t", "auth-userid=1&api-key=***"},
            {"encoded characters in the key", "api-key=a%26b%3Dc%2B&x=1", "api-key=***&x=1"},
            {"two keys", "api-key=a&api-key=b", "api-key=***&api-key=***"},
            {"upper case", "API-KEY=abc def", "API-KEY=*** def"},
            {"full URL", "https://test.httpapi.com/api/x.json?api-key=abc#f",
             "https://test.httpapi.com/api/x.json?api-key=***#f"},
            {"inside quotes", R"(url "https://h/x?api-key=abc" failed)",
             R"(url "https://h/x?api-key=***" failed)"},
            {"URL encoded inside another URL", "next=%2Fx%3Fapi-key%3Dabc%26order-id%3D5",
             "next=%2Fx%3Fapi-key%3D***%26order-id%3D5"},
            {"empty value stays empty", "api-key=&x=1", "api-key=&x=1"},
            {"no key", "auth-userid=1&order-id=2", "auth-userid=1&order-id=2"},
            {"similar names untouched", "my-api-keys=1", "my-api-keys=1"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CHECK(redact(c.in) == c.out);
        }
    }

    TEST_CASE("redact with a secret also hides the key where it is not named") {
        const std::string key = "Ab+/=&9";
        const std::string text = "server said: bad key Ab+/=&9 (Ab%2B%2F%3D%269)";
        const std::string out = redact(text, key);
        CHECK(out == "server said: bad key *** (***)");
        CHECK(redact("nothing", "") == "nothing");
    }

    TEST_CASE("describe is one redacted line") {
        const engine::HttpRequest post = build_request(action("backup.renew"), renew_call());
        CHECK(describe(post) ==
              "POST /api/backup/us/renew.json body: auth-userid=123456&api-key=***"
              "&backup-order-id=91234567&months=12&invoice-option=NoInvoice&auto-renew=false"
              "&discount-amount=12.5");
        CallParams call = renew_call();
        call.path = "/api/backup/us/details.json";
        call.params.clear();
        const engine::HttpRequest get = build_request(action("backup.details"), call);
        CHECK(describe(get) ==
              "GET /api/backup/us/details.json?auth-userid=123456&api-key=***&order-id=91234567");
        CHECK(describe(get).find('\n') == std::string::npos);
    }

    TEST_CASE("the sandbox's decoder ('+' is a space there) reads back every key and value") {
        for (const std::string key : {"a+b c", "x&y=z", "100%+", "caf\xc3\xa9"}) {
            CAPTURE(key);
            CallParams call = renew_call();
            call.api_key = key;
            call.params.push_back({"order-by", std::vector<std::string>{"endtime desc", key}});
            for (bool in_query : {false, true}) {
                CAPTURE(in_query);
                call.post_params_in_query = in_query;
                const engine::HttpRequest r = build_request(action("backup.renew"), call);
                sandbox::Params params;
                REQUIRE(params.add_encoded(in_query ? r.target.substr(r.target.find('?') + 1)
                                                    : r.body));
                CHECK(params.get("api-key") == key);
                CHECK(params.get("auth-userid") == "123456");
                CHECK(params.get("backup-order-id") == "91234567");
                CHECK(params.get("discount-amount") == "12.5");
                CHECK(params.all("order-by") == std::vector<std::string>{"endtime desc", key});
            }
        }
    }
}

}  // namespace request_builder_test
