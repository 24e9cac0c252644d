#pragma once
// A small script language for walking an OrderFlow step by step: each line names the step
// the flow must ask for and what the test answers it with.

#include "jobs/actions/registry.hpp"
#include "jobs/order/order_flow.hpp"
#include "tests/support/renew_params.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

// A failed CHECK on a step prints its name ("read_order == send"), not its number.
template <>
struct doctest::StringMaker<rcbatch::jobs::OrderFlow::Step> {
    static doctest::String convert(rcbatch::jobs::OrderFlow::Step step) {
        return std::string(rcbatch::jobs::to_string(step)).c_str();
    }
};

namespace rcbatch::test {

using jobs::Answer;
using jobs::OrderFlow;
using Step = jobs::OrderFlow::Step;
using engine::Outcome;

inline constexpr std::int64_t now = 1'800'000'000;
inline constexpr std::int64_t end_before = 1'810'000'000;

inline Answer ok(const char* json) { return {Outcome::ok, "", 200, {}, boost::json::parse(json)}; }
inline Answer lost() {
    return {Outcome::ambiguous, "connection closed after the request was sent", 0, {}, {}};
}
inline Answer api_error(const char* message) { return {Outcome::api_error, message, 500, {}, {}}; }
inline Answer stopped() { return {Outcome::not_run, "not sent: the run was stopped", 0, {}, {}}; }
inline Answer details(const char* status, std::int64_t endtime) {
    return {Outcome::ok,
            "",
            200,
            {},
            boost::json::object{{"currentstatus", status}, {"endtime", std::to_string(endtime)}}};
}
inline jobs::LogAnswer log_of(std::vector<jobs::LoggedAction> entries) {
    jobs::LogAnswer a;
    a.failure.outcome = Outcome::ok;
    a.entries = std::move(entries);
    return a;
}
inline jobs::LogAnswer log_failed(Answer why) { return {std::move(why), {}}; }
inline jobs::LoggedAction logged(const char* type, std::int64_t added, bool current,
                                 const char* status = "Success") {
    return {"555", "100", type, status, added, current, ""};
}

inline jobs::TargetContext target(std::string given) {
    jobs::TargetContext c;
    c.given = std::move(given);
    return c;
}
inline jobs::TargetContext bad_target(std::string given, std::string error) {
    jobs::TargetContext c = target(std::move(given));
    c.error = std::move(error);
    return c;
}
inline jobs::TargetContext duplicate_target(std::string given, std::string of) {
    jobs::TargetContext c = target(std::move(given));
    c.duplicate_of = std::move(of);
    return c;
}

// One line: the step the flow must ask for, and the answer fed to it.
struct Line {
    Step expect;
    std::function<void(OrderFlow&)> answer;
};

inline Line read_order(Answer a) {
    return {Step::read_order, [a](OrderFlow& f) { f.order_read(a, now); }};
}
inline Line read_log(jobs::LogAnswer a) {
    return {Step::read_log, [a](OrderFlow& f) { f.log_read(a); }};
}
// A granted claim, made when the server's clock showed `now` (the replies' Date).
inline jobs::ClaimAnswer granted() {
    jobs::ClaimAnswer c;
    c.server_at = now;
    return c;
}
inline Line claim(jobs::ClaimAnswer c = granted()) {
    return {Step::claim, [c](OrderFlow& f) { f.claimed(c, now); }};
}
inline Line check_actions(jobs::ActionsLook look) {
    return {Step::check_actions, [look](OrderFlow& f) { f.actions_looked(look); }};
}
// What the account's lists showed at a look at `now` (server clock).
inline jobs::ActionsLook looked(std::vector<jobs::LoggedAction> entries,
                                std::int64_t newest_added = now - 60, bool whole = false) {
    jobs::ActionsLook l;
    l.readable = true;
    l.entries = std::move(entries);
    l.newest_added = newest_added;
    l.whole_lists = whole;
    l.server_now = now;
    return l;
}
inline Line send(Answer a) {
    return {Step::send, [a](OrderFlow& f) { f.sent(a, now); }};
}
inline Line resolve(Answer a) {
    return {Step::resolve, [a](OrderFlow& f) { f.resolved(a); }};
}
inline Line wait() {
    return {Step::wait, [](OrderFlow& f) { f.waited(); }};
}

// Walks `flow` through `script`; then it must be done.
inline void walk(OrderFlow& flow, const std::vector<Line>& script) {
    int n = 0;
    for (const Line& line : script) {
        CAPTURE(n);
        REQUIRE(static_cast<int>(flow.step()) == static_cast<int>(line.expect));
        line.answer(flow);
        ++n;
    }
    REQUIRE(static_cast<int>(flow.step()) == static_cast<int>(Step::done));
}

inline jobs::FlowSettings settings_for(const jobs::ActionSpec& spec) {
    jobs::FlowSettings s;
    const auto& types = jobs::behaviour_of(spec).log_types;
    s.log_types.assign(types.begin(), types.end());
    s.max_sends = 3;
    return s;
}

}  // namespace rcbatch::test
