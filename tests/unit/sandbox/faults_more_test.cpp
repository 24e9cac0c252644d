// The fault kinds and switches added after the first eight kinds.
#include "sandbox/api/faults.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <stdexcept>

namespace faults_more_test {

using namespace rcbatch::sandbox;
using namespace std::chrono_literals;

TEST_SUITE("sandbox fault spec, newer kinds") {
    TEST_CASE("cap-after-read parses, round-trips and is refused when malformed") {
        auto s = parse_fault_spec("cap-after-read=8,block-after=200");
        CHECK(s.cap_after_read == 8);
        CHECK(s.block_after == 200);
        CHECK(parse_fault_spec(format_fault_spec(s)) == s);
        CHECK(FaultSpec{}.cap_after_read == 0);
        for (const char* bad : {"cap-after-read=-1", "cap-after-read=x", "cap-after-read=1.5"})
            CHECK_THROWS(parse_fault_spec(bad));
    }

    TEST_CASE(
        "apply-late, not-action, huge-number, continue and the switches parse and round-trip") {
        auto s = parse_fault_spec(
            "apply-late=0.1,not-action=0.05,huge-number=0.02,continue=0.3,apply-delay=250ms,echo-"
            "key=1,"
            "hide-actions=1,conn-cap=4,block-after=10,accept-total=3,429=0.1");
        CHECK(s.rate(FaultKind::apply_late) == doctest::Approx(0.1));
        CHECK(s.rate(FaultKind::not_action) == doctest::Approx(0.05));
        CHECK(s.rate(FaultKind::huge_number) == doctest::Approx(0.02));
        CHECK(s.rate(FaultKind::interim_continue) == doctest::Approx(0.3));
        CHECK(s.apply_delay == 250ms);
        CHECK(s.echo_key);
        CHECK(s.hide_actions);
        CHECK(s.conn_cap == 4);
        CHECK(s.block_after == 10);
        CHECK(s.accept_total == 3);
        CHECK(parse_fault_spec(format_fault_spec(s)) == s);
        CHECK(format_fault_spec(s).find("continue=0.3") != std::string::npos);

        const FaultSpec defaults;
        CHECK(defaults.apply_delay == 5s);
        CHECK(!defaults.echo_key);
        CHECK(!defaults.hide_actions);
        CHECK(defaults.conn_cap == 0);
        CHECK(defaults.block_after == 0);
        CHECK(defaults.accept_total == 0);
        CHECK(parse_fault_spec("echo-key=0,hide-actions=0") == defaults);
        CHECK(format_fault_spec(defaults).empty());
        for (auto k : {FaultKind::apply_late, FaultKind::not_action, FaultKind::huge_number,
                       FaultKind::interim_continue}) {
            CAPTURE(to_string(k));
            CHECK(fault_kind_from_string(to_string(k)) == k);
        }
    }

    TEST_CASE("bad values of the newer items are refused") {
        for (const char* bad :
             {"apply-late=2", "continue=x", "apply-delay=soon", "apply-delay=5m", "echo-key=2",
              "echo-key=yes", "hide-actions=-1", "conn-cap=-1", "conn-cap=x", "block-after=1.5",
              "accept-total=-2", "apply-late=0.6,not-action=0.5"}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(parse_fault_spec(bad), std::invalid_argument);
        }
    }

    TEST_CASE("which calls a kind fits") {
        struct Row {
            FaultKind in;
            bool change, records;
            FaultKind out;
        };
        for (auto r :
             {Row{FaultKind::apply_late, true, true, FaultKind::apply_late},
              Row{FaultKind::apply_late, true, false, FaultKind::none},
              Row{FaultKind::apply_late, false, false, FaultKind::none},
              Row{FaultKind::huge_number, true, true, FaultKind::huge_number},
              Row{FaultKind::huge_number, true, false, FaultKind::none},
              Row{FaultKind::not_action, true, false, FaultKind::not_action},
              Row{FaultKind::not_action, false, false, FaultKind::none},
              Row{FaultKind::interim_continue, false, false, FaultKind::interim_continue},
              Row{FaultKind::close_after, false, false, FaultKind::close_after},
              Row{FaultKind::too_many_requests, false, false, FaultKind::too_many_requests}}) {
            CAPTURE(to_string(r.in));
            CAPTURE(r.change);
            CAPTURE(r.records);
            CHECK(fault_for_call(r.in, r.change, r.records) == r.out);
        }
        CHECK(applies_action(FaultKind::apply_late));
        CHECK(applies_action(FaultKind::huge_number));
        CHECK(applies_action(FaultKind::interim_continue));
        CHECK(!applies_action(FaultKind::not_action));
    }
}

TEST_SUITE("sandbox fault decision, newer kinds") {
    TEST_CASE("appending kinds moves no decision of the older kinds") {
        auto old_spec = parse_fault_spec("429=0.2,close-after=0.2,truncate=0.1");
        auto new_spec = parse_fault_spec(
            "429=0.2,close-after=0.2,truncate=0.1,apply-late=0.2,not-action=0.1,"
            "huge-number=0.1,continue=0.1");
        std::map<FaultKind, int> seen;
        for (std::uint64_t attempt = 1; attempt <= 500; ++attempt) {
            const auto a = decide_fault(old_spec, 9, 61000001, "backup.renew", attempt);
            const auto b = decide_fault(new_spec, 9, 61000001, "backup.renew", attempt);
            CAPTURE(attempt);
            if (a.kind != FaultKind::none)
                CHECK(b.kind == a.kind);
            else
                CHECK(static_cast<int>(b.kind) >= static_cast<int>(FaultKind::apply_late));
            CHECK(a.variant == b.variant);
            ++seen[b.kind];
        }
        for (auto k : {FaultKind::apply_late, FaultKind::not_action, FaultKind::huge_number,
                       FaultKind::interim_continue})
            CHECK(seen[k] > 20);
    }

    TEST_CASE("not-action's body comes from the draw: every body appears, the same inputs agree") {
        auto spec = parse_fault_spec("not-action=1");
        std::set<std::string_view> bodies;
        for (std::uint64_t attempt = 1; attempt <= 64; ++attempt) {
            const auto d = decide_fault(spec, 3, 60000123, "backup.delete", attempt);
            CHECK(d.kind == FaultKind::not_action);
            CHECK(d.variant == decide_fault(spec, 3, 60000123, "backup.delete", attempt).variant);
            bodies.insert(not_action_body(d.variant));
        }
        CHECK(bodies == std::set<std::string_view>{"true", "42", "[]", "{}"});
    }
}

}  // namespace faults_more_test
