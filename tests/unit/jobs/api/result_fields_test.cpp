#include "jobs/api/result_fields.hpp"

#include "engine/secret/redact.hpp"
#include "jobs/actions/registry.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace result_fields_test {

using namespace rcbatch::jobs;
namespace json = boost::json;

namespace {

const ActionSpec& action(std::string_view name) {
    const ActionSpec* spec = find_action(name);
    REQUIRE(spec != nullptr);
    return *spec;
}

std::string picked(std::string_view action_name, std::string_view reply, bool keep = false) {
    return json::serialize(pick_fields(action(action_name), json::parse(reply), keep));
}

}  // namespace

TEST_SUITE("result_fields") {
    TEST_CASE("picks the spec's fields, and the action fields of a renew") {
        struct Case {
            const char* name;
            const char* action;
            const char* reply;
            const char* fields;
        };
        const std::vector<Case> cases = {
            {"renew with invoice", "backup.renew",
             R"({"entityid":"9","description":"x","eaqid":"555","actionstatus":"InvoicePaid",
                 "actionstatusdesc":"Renewal of x for 12 months","invoiceid":"777",
                 "sellingamount":"-12.000","customerid":"3"})",
             R"({"eaqid":"555","actionstatus":"InvoicePaid","actionstatusdesc":"Renewal of x for 12 months","invoiceid":"777","sellingamount":"-12.000"})"},
            {"renew without invoice", "backup.renew",
             R"({"eaqid":"555","actionstatus":"Success","status":"Success"})",
             R"({"eaqid":"555","actionstatus":"Success"})"},
            {"delete action object gets invoiceid too", "backup.delete",
             R"({"eaqid":"1","actionstatus":"Success","invoiceid":"2","actionstatusdesc":"Deleted"})",
             R"({"eaqid":"1","actionstatus":"Success","actionstatusdesc":"Deleted","invoiceid":"2"})"},
            {"details with endtime", "backup.details",
             R"({"orderid":"1","description":"b1","currentstatus":"Active","endtime":"1572096892","planid":"4"})",
             R"({"description":"b1","currentstatus":"Active","endtime":"1572096892","endtime_iso":"2019-10-26T13:34:52Z","planid":"4"})"},
            {"endtime that is not a number has no iso field", "backup.details",
             R"({"endtime":"soon"})", R"({"endtime":"soon"})"},
            {"search entry with dotted keys", "backup.search",
             R"({"orders.orderid":"5","entity.description":"b5","entity.currentstatus":"Active","orders.endtime":"0"})",
             R"({"entity.description":"b5","entity.currentstatus":"Active","orders.endtime":"0","orders.endtime_iso":"1970-01-01T00:00:00Z"})"},
            {"nothing known", "nixi.resend", R"({"other":"1"})", R"({})"},
            {"nixi message", "nixi.resend",
             R"({"status":"Success","message":"Verification email has been sent to the Registrant contact"})",
             R"({"message":"Verification email has been sent to the Registrant contact"})"},
            {"a search has no action fields without eaqid", "backup.search",
             R"({"actionstatus":"x","invoiceid":"y"})", R"({})"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CHECK(picked(c.action, c.reply) == json::serialize(json::parse(c.fields)));
        }
    }

    TEST_CASE("a reply that is not an object is kept as value") {
        CHECK(picked("domain.details", "84311819") == R"({"value":84311819})");
        CHECK(picked("nixi.resend", "true") == R"({"value":true})");
        CHECK(picked("nixi.resend", R"("Success")") == R"({"value":"Success"})");
        CHECK(picked("nixi.resend", "null") == R"({})");
    }

    TEST_CASE("the auto-login URL is kept only when the caller asks for it") {
        const char* reply =
            R"({"status":"Success","autoLoginUrl":"https://panel.example/sso?token=abc","orderid":"1"})";
        const std::string hidden = picked("backup.auto-login", reply, false);
        CHECK(hidden == R"({"autoLoginUrl":"***"})");
        CHECK(hidden.find("token=abc") == std::string::npos);
        CHECK(picked("backup.auto-login", reply, true) ==
              R"({"autoLoginUrl":"https://panel.example/sso?token=abc"})");
    }

    TEST_CASE("secret field names") {
        for (const char* name :
             {"autoLoginUrl", "AUTOLOGINURL", "password", "session_token", "api-key"}) {
            CAPTURE(name);
            CHECK(is_secret_field(name));
        }
        for (const char* name : {"eaqid", "endtime", "message", "orders.orderid"}) {
            CAPTURE(name);
            CHECK_FALSE(is_secret_field(name));
        }
    }

    TEST_CASE("Unix seconds to ISO-8601") {
        struct Case {
            const char* json;
            const char* iso;  // nullptr: no conversion
        };
        for (const Case& c : std::vector<Case>{{R"("1572096892")", "2019-10-26T13:34:52Z"},
                                               {"1572096892", "2019-10-26T13:34:52Z"},
                                               {R"("951782400")", "2000-02-29T00:00:00Z"},
                                               {R"("253402300799")", "9999-12-31T23:59:59Z"},
                                               {R"("253402300800")", nullptr},
                                               {R"("-1")", nullptr},
                                               {R"("12a")", nullptr},
                                               {R"("")", nullptr},
                                               {"1.5", nullptr},
                                               {"null", nullptr}}) {
            CAPTURE(c.json);
            const auto got = unix_seconds_to_iso(json::parse(c.json));
            if (c.iso == nullptr)
                CHECK_FALSE(got.has_value());
            else {
                REQUIRE(got.has_value());
                CHECK(*got == c.iso);
            }
        }
    }

    TEST_CASE("a server's echo of the key in a success field is redacted where it enters") {
        // The fields reach results.csv/.jsonl, report.html, the JUnit file and the ledger.
        rcbatch::engine::register_secret("EchoKeyAbcdefGhijkl123456");
        const std::string reply =
            R"({"eaqid":"ECHOKEYABCDEFGHIJKL123456","actionstatus":"Success",)"
            R"("actionstatusdesc":"Renewed for EchoKey\u200bAbcdef<b>Ghijkl</b>123456",)"
            R"("sellingcurrencysymbol":"%45%63%68%6F%4B%65%79%41%62%63%64%65%66%47%68%69%6A%6B%6C%31%32%33%34%35%36",)"
            R"("invoiceid":"echokey\u0001abcdefghijkl123456"})";
        const std::string fields = picked("backup.renew", reply);
        CAPTURE(fields);
        CHECK(fields.find("\"eaqid\":\"***\"") != std::string::npos);
        CHECK(fields.find("\"invoiceid\":\"***\"") != std::string::npos);
        for (const char* part : {"EchoKey", "ECHOKEY", "echokey", "Ghijkl", "%45%63"})
            CHECK(fields.find(part) == std::string::npos);
        const std::string value = picked("backup.renew", R"("EchoKeyAbcdefGhijkl123456")");
        CHECK(value == R"({"value":"***"})");
    }
}

}  // namespace result_fields_test
