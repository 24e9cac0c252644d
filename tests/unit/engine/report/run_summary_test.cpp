#include "engine/report/run_summary.hpp"

#include "engine/report/report_writer.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <set>

namespace run_summary_test {

namespace json = boost::json;
using namespace rcbatch::engine;

TEST_CASE("run summary: the members the writer computes are the ones a rebuild drops") {
    Tally tally;
    RunInfo info;
    info.extra = json::object{{"job", "renew"}};
    json::object written = summary_json(tally, info);
    written["reports"] = "/r";
    std::set<std::string> computed;
    for (const auto& member : written)
        if (member.key() != "job") computed.insert(std::string(member.key()));
    std::set<std::string> listed(computed_summary_members.begin(), computed_summary_members.end());
    CHECK(computed == listed);
    CHECK(without_computed_members(written) == json::object{{"job", "renew"}});
}

TEST_CASE("run summary: a hostile summary.json reads as empty or zero figures, never others") {
    const RunSummary s = RunSummary::read(json::parse(R"({
        "job": 7, "orders": -3, "retries": "many", "wall_time_ms": 1.5,
        "outcomes": {"ok": "2", "unknown": -1, "api_error": 4},
        "latency_us": [1, 2], "complete": "no", "sessions": null, "count_mismatch": {"a": 1}
    })")
                                              .as_object());
    CHECK(s.job.empty());
    CHECK(s.orders == 0);
    CHECK(s.retries == 0);
    CHECK_FALSE(s.wall_time_ms.has_value());
    CHECK(s.count(Outcome::ok) == 0);
    CHECK(s.count(Outcome::unknown) == 0);
    CHECK(s.count(Outcome::api_error) == 4);
    CHECK_FALSE(s.latency_us.has_value());
    CHECK(s.complete);
    CHECK(s.sessions == 1);
    CHECK(s.count_mismatch == R"({"a":1})");
    CHECK_FALSE(s.stopped());
    CHECK(s.json.contains("job"));  // every member kept as written
}

TEST_CASE("run summary: stopped is any stop reason but none") {
    CHECK(RunSummary::read(json::object{{"stop_reason", "interrupted"}}).stopped());
    CHECK_FALSE(RunSummary::read(json::object{{"stop_reason", "none"}}).stopped());
    CHECK_FALSE(RunSummary::read(json::object{}).stopped());
}

}  // namespace run_summary_test
