// What a run prints per order and at its end: one line per failed or unknown order (with
// --quiet too), not_run and cancelled counted apart from failures, the JSON log's events
// each one object carrying the run id, and the one-line summary of --quiet.

#include "engine/report/progress.hpp"
#include "engine/report/report_writer.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

namespace progress_events_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;

namespace {
const ProgressClock::time_point t0{};

OrderResult result(std::uint64_t seq, Outcome outcome, std::string message = "") {
    OrderResult r;
    r.seq = seq;
    r.order_id = std::to_string(1000 + seq);
    r.target = r.order_id;
    r.outcome = outcome;
    r.message = std::move(message);
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

boost::json::object summary_of(std::uint64_t ok, std::uint64_t api_error) {
    boost::json::object s{{"job", "renew"},
                          {"action", "backup.renew"},
                          {"stop_reason", "none"},
                          {"orders", ok + api_error},
                          {"orders_per_second", 4.05},
                          {"reports", "reports/renew/20261130T000000Z"}};
    s["outcomes"] = boost::json::object{{"ok", ok}, {"api_error", api_error}, {"unknown", 0}};
    return s;
}
}  // namespace

TEST_SUITE("progress events") {
    TEST_CASE("not_run and cancelled are counted as not run, not as failed") {
        std::ostringstream out;
        Progress p(out, ProgressOptions{}, 5, t0);
        p.finished(result(0, Outcome::ok), t0);
        p.finished(result(1, Outcome::api_error, "Invalid order"), t0);
        p.finished(result(2, Outcome::cancelled), t0);
        p.finished(result(3, Outcome::not_run), t0);
        p.finished(result(4, Outcome::not_run), t0);
        CHECK(p.counts().failed == 1);
        CHECK(p.counts().not_run == 3);
        CHECK(format_bar(p.counts(), Seconds(1), 120).find("failed 1  not run 3") !=
              std::string::npos);
        CHECK(progress_json(p.counts(), Seconds(1)).at("not_run") == 3);
        // one line for the failed order, none for those the run stopped before
        CHECK(lines_of(out.str()).size() == 1);
    }

    TEST_CASE("quiet: a line per failed or unknown order, the summary line only when not ok") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::quiet;
        Progress p(out, o, 4, t0);
        p.finished(result(0, Outcome::ok), t0);
        p.finished(result(1, Outcome::skipped), t0);
        p.finished(result(2, Outcome::api_error, "Invalid \x1b[2Jorder"), t0);
        auto unknown = result(3, Outcome::unknown, "order deadline passed");
        unknown.target = "shop.in";
        p.finished(unknown, t0);
        p.done(t0 + 1s);
        p.summary(RunSummary::read(summary_of(2, 2)), false, 1);
        const auto lines = lines_of(out.str());
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "order 1002 api_error: Invalid \\x1b[2Jorder");
        CHECK(lines[1] ==
              "order 1003 (shop.in) unknown: order deadline passed -- check by hand: "
              "may have been applied");
        CHECK(lines[2] ==
              "rcbatch: renew (backup.renew): 4 orders: ok 2, api_error 2; reports "
              "reports/renew/20261130T000000Z");
    }

    TEST_CASE("quiet and every order ok: nothing at all") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::quiet;
        Progress p(out, o, 2, t0);
        p.finished(result(0, Outcome::ok), t0);
        p.finished(result(1, Outcome::skipped), t0);
        p.done(t0 + 1s);
        p.summary(RunSummary::read(summary_of(2, 0)), false, 0);
        CHECK(out.str().empty());
    }

    TEST_CASE("json: every line one object with the run id; a summary event last") {
        std::ostringstream out;
        ProgressOptions o;
        o.format = LogFormat::json;
        o.run_id = "20261130T000000Z";
        Progress p(out, o, 2, t0);
        p.finished(result(0, Outcome::ok), t0 + 10ms);
        p.finished(result(1, Outcome::api_error, "No Entity \xe2\x80\xae found"), t0 + 20ms);
        p.note("rcbatch run: stopped", t0 + 30ms, true);
        p.done(t0 + 1s);
        p.summary(RunSummary::read(summary_of(1, 1)), true, 1);
        const auto lines = lines_of(out.str());
        REQUIRE(lines.size() >= 4);
        std::vector<std::string> events;
        for (const std::string& line : lines) {
            CAPTURE(line);
            CHECK(line.find("E0") == std::string::npos);
            CHECK(line.find("\xe2\x80\xae") == std::string::npos);  // escaped as \u202e
            const boost::json::object e = boost::json::parse(line).as_object();
            CHECK(e.at("run") == "20261130T000000Z");
            events.push_back(std::string(e.at("event").as_string()));
        }
        CHECK(events.front() == "order");
        CHECK(events.back() == "summary");
        const boost::json::object last = boost::json::parse(lines.back()).as_object();
        CHECK(last.at("exit_code") == 1);
        CHECK(last.at("orders_per_second").as_double() == 4.05);
        CHECK(lines.back().find("\"orders_per_second\":4.05") != std::string::npos);
        const boost::json::object order = boost::json::parse(lines.front()).as_object();
        CHECK(order.at("outcome") == "api_error");
        CHECK(order.at("order") == "1001");
        CHECK(order.at("message") == "No Entity \xe2\x80\xae found");
    }

    TEST_CASE("the text summary is printable and says 1 retry, 1 connection") {
        boost::json::object s = summary_of(1, 0);
        s["job"] = "evil\x1b]0;title\x07";
        s["attempts"] = 2;
        s["retries"] = 1;
        s["connections_opened"] = 1;
        std::ostringstream out;
        Progress p(out, ProgressOptions{}, 1, t0);
        p.summary(RunSummary::read(s), true, 0);
        const std::string text = out.str();
        CAPTURE(text);
        CHECK(text.find("evil\\x1b]0;title\\x07") != std::string::npos);
        CHECK(text.find("(1 retry)") != std::string::npos);
        CHECK(text.find("1 connection\n") != std::string::npos);
    }
}

}  // namespace progress_events_test
