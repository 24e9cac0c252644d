#include "jobs/api/reply_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace reply_reader_test {

using namespace rcbatch;
using jobs::read_reply;
using jobs::ReplyOptions;
using Kind = engine::ReplyVerdict::Kind;

namespace {

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::ok:
            return "ok";
        case Kind::api_error:
            return "api_error";
        case Kind::fatal:
            return "fatal";
        case Kind::unreadable:
            return "unreadable";
    }
    return "?";
}

struct Case {
    const char* name;
    int status;
    const char* content_type;
    std::string body;
    Kind kind;
    const char* message;  // expected message (exact) for errors; nullptr: not checked
    bool retryable = false;
    const char* value = nullptr;  // expected JSON of `value` for ok; nullptr: not checked
};

const std::string json_type = "application/json";

}  // namespace

TEST_SUITE("reply_reader") {
    TEST_CASE("every success and error shape of api.md, with any HTTP status") {
        const std::vector<Case> cases = {
            // success shapes
            {"details object", 200, "application/json",
             R"({"orderid":"84311819","endtime":"1572096892","currentstatus":"Active"})", Kind::ok,
             nullptr, false,
             R"({"orderid":"84311819","endtime":"1572096892","currentstatus":"Active"})"},
            {"bare number (orderid.json)", 200, "text/plain", "84311819", Kind::ok, nullptr, false,
             "84311819"},
            {"bare number with newline", 200, "application/json", "84311819\n", Kind::ok, nullptr,
             false, "84311819"},
            {"bare true", 200, "application/json", "true", Kind::ok, nullptr, false, "true"},
            {"bare false is an answer, not an error", 200, "application/json", "false", Kind::ok,
             nullptr, false, "false"},
            {"JSON string", 200, "application/json", R"("example.in")", Kind::ok, nullptr, false,
             R"("example.in")"},
            {"plain text Success", 200, "text/plain", "Success: mail queued\r\n", Kind::ok, nullptr,
             false, R"("Success: mail queued")"},
            {"top-level status Success", 200, "application/json",
             R"({"status":"Success","message":"Verification email has been sent to the Registrant contact"})",
             Kind::ok, nullptr},
            {"renew action object", 200, "application/json",
             R"({"entityid":"91234567","eaqid":"555","actionstatus":"Success","status":"Success"})",
             Kind::ok, nullptr},
            {"nested error sub-result does not fail the call", 200, "application/json",
             R"({"orderid":"1","privacy":{"status":"error","error":"privacy not supported"}})",
             Kind::ok, nullptr},
            {"empty search result", 200, "application/json", R"({"recsonpage":"0","recsindb":"0"})",
             Kind::ok, nullptr},
            {"JSON array", 200, "application/json", R"(["a","b"])", Kind::ok, nullptr, false,
             R"(["a","b"])"},
            // error shapes, any status
            {"documented ERROR with 500", 500, "application/json",
             R"({"status":"ERROR","message":"No Entity found for Entityid: 42"})", Kind::api_error,
             "No Entity found for Entityid: 42"},
            {"ERROR with 200", 200, "application/json",
             R"({"status":"ERROR","message":"Website doesn't exist for nosuch.in"})",
             Kind::api_error, "Website doesn't exist for nosuch.in"},
            {"lower-case error with error key", 400, "application/json",
             R"({"status":"error","error":"Invalid order id"})", Kind::api_error,
             "Invalid order id"},
            {"Failed action", 200, "application/json",
             R"({"status":"Failed","actionstatusdesc":"Renewal refused","eaqid":"9"})",
             Kind::api_error, "Renewal refused"},
            {"actionstatus Failed", 200, "application/json",
             R"({"status":"Success","actionstatus":"Failed","actionstatusdesc":"Insufficient funds"})",
             Kind::api_error, "Insufficient funds"},
            {"old errorvalue form", 500, "application/json",
             R"({"errorvalue":{"error":"Order is locked"}})", Kind::api_error, "Order is locked"},
            {"errorvalue as a string", 200, "application/json", R"({"errorvalue":"bad request"})",
             Kind::api_error, "bad request"},
            {"error without a message", 500, "application/json", R"({"status":"ERROR"})",
             Kind::api_error, "API error without a message"},
            {"pending action is NOT transient", 500, "application/json",
             R"({"status":"ERROR","message":"There is already an action pending on this Order."})",
             Kind::api_error, "There is already an action pending on this Order.", false},
            {"another reseller's order is per order, not fatal", 500, "application/json",
             R"({"status":"ERROR","message":"You are not allowed to perform this action"})",
             Kind::api_error, "You are not allowed to perform this action", false},
            {"sandbox: deleted order is per order", 500, "application/json",
             R"({"status":"ERROR","message":"This action is not allowed on a Deleted order."})",
             Kind::api_error, "This action is not allowed on a Deleted order."},
            {"sandbox: wrong method is per call", 500, "application/json",
             R"({"status":"ERROR","message":"GET is not allowed for /api/backup/us/renew.json"})",
             Kind::api_error, nullptr},
            {"NIXI resend refused", 500, "application/json",
             R"({"status":"ERROR","message":"Resend verification email is not supported for InActive or Deleted domains."})",
             Kind::api_error, nullptr},
            {"transient message", 500, "application/json",
             R"({"status":"ERROR","message":"Service temporarily unavailable, please try again later"})",
             Kind::api_error, nullptr, true},
            // fatal
            {"access denied", 500, "application/json",
             R"({"status":"ERROR","message":"Access Denied. You are not authorized to perform this action."})",
             Kind::fatal, "Access Denied. You are not authorized to perform this action."},
            {"invalid credentials, 401", 401, "application/json",
             R"({"status":"error","error":"Invalid credentials"})", Kind::fatal,
             "Invalid credentials"},
            {"IP not whitelisted in errorvalue", 403, "application/json",
             R"({"errorvalue":{"error":"IP 10.1.2.3 is not whitelisted"}})", Kind::fatal, nullptr},
            {"plain-text access denied", 403, "text/plain", "Access Denied", Kind::fatal,
             "Access Denied"},
            {"JSON string access denied", 500, "application/json",
             R"("Access Denied. You are not authorized to perform this action.")", Kind::fatal,
             nullptr},
            // unreadable
            {"empty body with 502", 502, "text/html", "", Kind::unreadable,
             "empty reply (HTTP 502)"},
            {"whitespace body", 200, "application/json", " \r\n", Kind::unreadable, nullptr},
            {"HTML 502 page", 502, "text/html",
             "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad "
             "Gateway</h1></body></html>",
             Kind::unreadable, nullptr},
            {"HTML with a wrong content type", 500, "application/json",
             "<!DOCTYPE html><p>oops</p>", Kind::unreadable, nullptr},
            {"truncated JSON", 200, "application/json", R"({"orderid":"84311819","endti)",
             Kind::unreadable, nullptr},
            {"non-JSON text", 200, "text/plain", "Error: something", Kind::unreadable, nullptr},
            {"success-looking object with 500", 500, "application/json", R"({"orderid":"1"})",
             Kind::unreadable, nullptr},
            {"bare number with 503", 503, "text/plain", "1", Kind::unreadable, nullptr},
            {"plain Success with 500", 500, "text/plain", "Success", Kind::unreadable, nullptr},
            {"JSON null", 200, "application/json", "null", Kind::unreadable, nullptr},
        };
        const ReplyOptions options;
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CAPTURE(c.status);
            CAPTURE(c.body);
            const engine::ReplyVerdict v = read_reply(c.status, c.content_type, c.body, options);
            CAPTURE(v.message);
            CHECK(std::string(kind_name(v.kind)) == kind_name(c.kind));
            CHECK(v.retryable_message == c.retryable);
            if (c.message != nullptr) CHECK(v.message == c.message);
            if (c.kind != Kind::ok) CHECK_FALSE(v.message.empty());
            if (c.value != nullptr)
                CHECK(boost::json::serialize(v.value) ==
                      boost::json::serialize(boost::json::parse(c.value)));
        }
    }

    TEST_CASE("unreadable messages say what came back") {
        const ReplyOptions options;
        auto v =
            read_reply(502, "text/html",
                       "<html><title>502 Bad Gateway</title><body>nginx</body></html>", options);
        CHECK(v.message.find("HTML page") != std::string::npos);
        CHECK(v.message.find("502 Bad Gateway") != std::string::npos);
        CHECK(v.message.find('<') == std::string::npos);
        v = read_reply(500, "application/json", R"({"orderid":"1"})", options);
        CHECK(v.message.find("HTTP 500") != std::string::npos);
    }

    TEST_CASE("a profile can extend the fatal and transient lists") {
        ReplyOptions options;
        const std::string body = R"({"status":"ERROR","message":"Reseller account suspended"})";
        CHECK(read_reply(500, json_type, body, options).kind == Kind::api_error);
        options.fatal_patterns.push_back("account suspended");
        CHECK(read_reply(500, json_type, body, options).kind == Kind::fatal);

        const std::string busy = R"({"status":"ERROR","message":"Queue full"})";
        CHECK_FALSE(read_reply(500, json_type, busy, options).retryable_message);
        options.transient_patterns.push_back("QUEUE FULL");
        CHECK(read_reply(500, json_type, busy, options).retryable_message);
    }

    TEST_CASE("the exchange overload reads only complete replies") {
        const ReplyOptions options;
        engine::HttpExchange ex;
        ex.transport = engine::Transport::complete;
        ex.status = 200;
        ex.body = "84311819";
        CHECK(read_reply(ex, options).kind == Kind::ok);
        ex.transport = engine::Transport::truncated;
        ex.error = "partial message";
        const auto v = read_reply(ex, options);
        CHECK(v.kind == Kind::unreadable);
        CHECK(v.message == "reply cut short (HTTP 200): partial message");
        ex.transport = engine::Transport::timeout_after_send;
        ex.error = "deadline passed";
        CHECK(read_reply(ex, options).message == "deadline passed");
    }

    TEST_CASE("messages are trimmed, cleaned and capped") {
        struct TextCase {
            const char* name;
            std::string in;
            std::size_t max;
            std::string out;
        };
        const std::vector<TextCase> cases = {
            {"trim", "  hello  ", 100, "hello"},
            {"newlines and tabs become one space", "a\r\n\tb", 100, "a b"},
            {"control characters removed", "a\x01\x1b[31mb\x7f", 100, "a[31mb"},
            {"C1 control removed",
             "a\xc2\x85"
             "b",
             100, "ab"},
            {"bidi override removed",
             "abc\xe2\x80\xae"
             "def",
             100, "abcdef"},
            {"invalid UTF-8 removed", "ok\xff\xfe!", 100, "ok!"},
            {"overlong encoding removed",
             "a\xc0\xaf"
             "b",
             100, "ab"},
            {"UTF-8 kept", "caf\xc3\xa9", 100, "caf\xc3\xa9"},
            {"capped with ellipsis", "abcdefghij", 8, "abcde..."},
            {"cap never splits a character", "ab\xc3\xa9\xc3\xa9\xc3\xa9", 6, "ab..."},
            {"exactly at the cap", "abcdefgh", 8, "abcdefgh"},
        };
        for (const TextCase& c : cases) {
            CAPTURE(c.name);
            const std::string got = jobs::clean_text(c.in, c.max);
            CHECK(got == c.out);
            CHECK(got.size() <= c.max);
        }
    }

    TEST_CASE("a huge hostile message is capped in the verdict") {
        ReplyOptions options;
        options.max_message = 50;
        const std::string body =
            R"({"status":"ERROR","message":")" + std::string(100000, 'x') + R"("})";
        const auto v = read_reply(500, json_type, body, options);
        CHECK(v.kind == Kind::api_error);
        CHECK(v.message.size() <= 50);
    }
}

}  // namespace reply_reader_test
