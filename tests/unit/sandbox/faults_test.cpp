#include "sandbox/api/faults.hpp"

#include <doctest/doctest.h>

#include <map>
#include <stdexcept>

namespace faults_test {

using namespace rcbatch::sandbox;
using namespace std::chrono_literals;

TEST_SUITE("sandbox fault spec") {
    TEST_CASE("an empty spec is no faults") {
        CHECK(parse_fault_spec("") == FaultSpec{});
        CHECK(parse_fault_spec("  ") == FaultSpec{});
    }

    TEST_CASE("rates, latency, stall time, retry-after and deny-user") {
        auto s = parse_fault_spec(
            "429=0.1, close-after=0.2,latency=50ms+10ms,stall=0.01,stall-time=5s,"
            "retry-after=3,deny-user=123456,500=0.05,truncate=0.02");
        CHECK(s.rate(FaultKind::too_many_requests) == doctest::Approx(0.1));
        CHECK(s.rate(FaultKind::close_after) == doctest::Approx(0.2));
        CHECK(s.rate(FaultKind::stall) == doctest::Approx(0.01));
        CHECK(s.rate(FaultKind::server_error_html) == doctest::Approx(0.05));
        CHECK(s.rate(FaultKind::truncate) == doctest::Approx(0.02));
        CHECK(s.rate(FaultKind::unavailable) == 0.0);
        CHECK(s.latency == 50ms);
        CHECK(s.jitter == 10ms);
        CHECK(s.stall_time == 5000ms);
        CHECK(s.retry_after_seconds == 3);
        CHECK(s.deny_userid == "123456");
        CHECK(parse_fault_spec(format_fault_spec(s)) == s);
        CHECK(parse_fault_spec("latency=2s").latency == 2000ms);
        CHECK(parse_fault_spec("latency=20").latency == 20ms);
        CHECK(parse_fault_spec("503=1").rate(FaultKind::unavailable) == 1.0);
    }

    TEST_CASE("bad items are refused with a message naming them") {
        for (const char* bad : {"429", "429=1.5", "429=-0.1", "429=x", "teapot=0.1", "latency=fast",
                                "latency=5ms+", "stall-time=5m", "retry-after=-1", "deny-user=abc",
                                "429=0.6,503=0.6", "429=0.1,,503=0.1"}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(parse_fault_spec(bad), std::invalid_argument);
        }
        try {
            parse_fault_spec("close-after=0.1,teapot=0.1");
            FAIL("no throw");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find("teapot") != std::string::npos);
        }
    }

    TEST_CASE("a repeated kind replaces its rate in the total") {
        auto s = parse_fault_spec("429=0.9,429=0.5,503=0.5");
        CHECK(s.rate(FaultKind::too_many_requests) == doctest::Approx(0.5));
    }

    TEST_CASE("durations") {
        CHECK(parse_duration("0") == 0ms);
        CHECK(parse_duration("15ms") == 15ms);
        CHECK(parse_duration("3s") == 3000ms);
        CHECK(!parse_duration(""));
        CHECK(!parse_duration("ms"));
        CHECK(!parse_duration("-5ms"));
        CHECK(!parse_duration("5h"));
    }
}

TEST_SUITE("sandbox fault decision") {
    TEST_CASE("the same inputs give the same decision; attempts draw afresh") {
        auto spec = parse_fault_spec("429=0.25,close-before=0.25,latency=10ms+20ms");
        std::map<FaultKind, int> seen;
        for (std::uint64_t attempt = 1; attempt <= 400; ++attempt) {
            auto a = decide_fault(spec, 7, 61234567, "backup.renew", attempt);
            auto b = decide_fault(spec, 7, 61234567, "backup.renew", attempt);
            CHECK(a.kind == b.kind);
            CHECK(a.delay == b.delay);
            CHECK(a.delay >= 10ms);
            CHECK(a.delay <= 30ms);
            ++seen[a.kind];
        }
        // Roughly the configured shares over many attempts.
        CHECK(seen[FaultKind::too_many_requests] > 60);
        CHECK(seen[FaultKind::close_before] > 60);
        CHECK(seen[FaultKind::none] > 140);
        CHECK(seen.size() == 3);
    }

    TEST_CASE("the seed, the order and the action change the draw") {
        auto spec = parse_fault_spec("close-after=0.5");
        int differ_seed = 0, differ_order = 0, differ_action = 0;
        for (std::uint64_t attempt = 1; attempt <= 64; ++attempt) {
            auto base = decide_fault(spec, 1, 100, "backup.renew", attempt).kind;
            differ_seed += decide_fault(spec, 2, 100, "backup.renew", attempt).kind != base;
            differ_order += decide_fault(spec, 1, 101, "backup.renew", attempt).kind != base;
            differ_action += decide_fault(spec, 1, 100, "backup.delete", attempt).kind != base;
        }
        CHECK(differ_seed > 0);
        CHECK(differ_order > 0);
        CHECK(differ_action > 0);
    }

    TEST_CASE("rate 0 never fires, rate 1 always does") {
        auto never = FaultSpec{};
        auto always = parse_fault_spec("stall=1");
        for (std::uint64_t attempt = 1; attempt <= 100; ++attempt) {
            CHECK(decide_fault(never, 3, attempt, "nixi.resend", attempt).kind == FaultKind::none);
            CHECK(decide_fault(always, 3, attempt, "nixi.resend", attempt).kind ==
                  FaultKind::stall);
        }
        CHECK(applies_action(FaultKind::close_after));
        CHECK(applies_action(FaultKind::stall));
        CHECK(applies_action(FaultKind::truncate));
        CHECK(!applies_action(FaultKind::close_before));
        CHECK(!applies_action(FaultKind::too_many_requests));
    }
}

}  // namespace faults_test
