#pragma once
// A minimal stand-in for the jobs' reply reader, enough for the engine's tests: a JSON
// object is ok, {"status":"ERROR","message":m} an api_error (fatal when m says "Access
// Denied", retryable when m says "try again"), anything else unreadable.

#include "engine/batch/reply_verdict.hpp"
#include "engine/net/http_request.hpp"

#include <boost/json/parse.hpp>

#include <string>

namespace rcbatch::test {

inline engine::ReplyVerdict interpret_test_reply(const engine::HttpExchange& x) {
    using Kind = engine::ReplyVerdict::Kind;
    engine::ReplyVerdict v;
    boost::system::error_code ec;
    auto value = boost::json::parse(x.body, ec);
    if (ec || !value.is_object()) return v;  // unreadable
    const auto& obj = value.as_object();
    if (auto* status = obj.if_contains("status");
        status && status->is_string() && *status == "ERROR") {
        v.kind = Kind::api_error;
        if (auto* m = obj.if_contains("message"); m && m->is_string())
            v.message = std::string(m->as_string());
        if (v.message.find("Access Denied") != std::string::npos) v.kind = Kind::fatal;
        v.retryable_message = v.message.find("try again") != std::string::npos;
        return v;
    }
    v.kind = Kind::ok;
    v.value = std::move(value);
    return v;
}

}  // namespace rcbatch::test
