// Another run's open intent, left by a run that no longer exists (README "The cross-run
// guard"): the flow settles it from the evidence, as a lost answer, and never skips the order
// in silence — applied: skipped, naming that run; nothing shows: its own change goes ahead
// (the claim carries the verdict for the ledger); undecidable: unknown.
#include "flow_script.hpp"
#include "jobs/actions/action_behaviour.hpp"

namespace dead_intent_test {

using namespace rcbatch::test;
using rcbatch::jobs::ClaimAnswer;
using rcbatch::jobs::DeadIntent;
using rcbatch::jobs::EarlierIntent;
using rcbatch::jobs::OrderState;

namespace {
const rcbatch::jobs::ActionSpec& renew() { return *rcbatch::jobs::find_action("backup.renew"); }

ClaimAnswer dead_claim(std::optional<OrderState> state, std::int64_t change = 41) {
    ClaimAnswer c;
    c.granted = false;
    c.dead = DeadIntent{change, "nightly", "/r/nightly/20261130T010000Z",
                        EarlierIntent{"100", now - 7200, std::move(state), now - 7200}};
    return c;
}

const OrderState before{"Active", std::to_string(end_before)};

// Preflight, then the claim meets the dead run's intent.
std::vector<Line> meets_dead(std::optional<OrderState> state = before) {
    return {read_order(details("Active", end_before)), claim(dead_claim(std::move(state)))};
}

std::string settled_outcome(OrderFlow& flow) {
    const auto* s = flow.result().fields.if_contains("settled_intent");
    return s ? std::string(s->as_object().at("outcome").as_string()) : std::string("none");
}
}  // namespace

TEST_SUITE("reconcile: a dead run's intent") {
    TEST_CASE("its renew is in the action log: skipped, naming the run and the action") {
        const auto settings = settings_for(renew());
        OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
        auto script = meets_dead();
        script.push_back(read_log(log_of({logged("Renew", now - 7000, false)})));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::skipped);
        CHECK(flow.result().message ==
              "renewed by job nightly (/r/nightly/20261130T010000Z), which died before recording "
              "it: action 555 (Renew, Success) is in the archived actions");
        CHECK(settled_outcome(flow) == "ok");
        CHECK_FALSE(flow.result().fields.contains("change"));  // not this run's change
    }

    TEST_CASE("its end time moved since its preflight: skipped") {
        const auto settings = settings_for(renew());
        OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
        auto script = meets_dead();
        script.push_back(read_log(log_of({})));
        script.push_back(read_order(details("Active", end_before + 86400 * 365)));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::skipped);
        CHECK(flow.result().message.find("which died before recording it: end time moved") !=
              std::string::npos);
    }

    TEST_CASE("nothing shows after the settle delay: the order's own renew goes ahead") {
        const auto settings = settings_for(renew());
        OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
        auto script = meets_dead();
        for (Line l : {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                       read_log(log_of({})), read_order(details("Active", end_before)),
                       read_order(details("Active", end_before))})
            script.push_back(l);
        // The claim that follows carries the verdict, so the ledger closes the dead intent
        // before it grants this run's own.
        script.push_back({Step::claim, [](OrderFlow& f) {
                              REQUIRE(f.settled_intent() != nullptr);
                              CHECK(f.settled_intent()->change == 41);
                              CHECK(f.settled_intent()->outcome == "not_run");
                              CHECK(f.settled_intent()->evidence.starts_with("not applied: "));
                              f.claimed({}, now);
                          }});
        script.push_back(send(ok(R"({"eaqid":"9","actionstatus":"Success"})")));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(flow.result().message.empty());
        CHECK(settled_outcome(flow) == "not_run");
    }

    TEST_CASE("undecidable: unknown for a human, never a skip") {
        const auto settings = settings_for(renew());
        SUBCASE("archived as failed") {
            OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
            auto script = meets_dead();
            script.push_back(read_log(log_of({logged("Renew", now - 7000, false, "Failed")})));
            walk(flow, script);
            CHECK(flow.result().outcome == Outcome::unknown);
            CHECK(flow.result().message.starts_with(
                "job nightly (/r/nightly/20261130T010000Z), which died, may have sent a "
                "backup.renew of this order at "));
            CHECK(settled_outcome(flow) == "unknown");
        }
        SUBCASE("its journal is gone: no state to compare the end time with") {
            OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
            auto script = meets_dead(std::nullopt);
            script.push_back(read_log(log_of({})));
            walk(flow, script);
            CHECK(flow.result().outcome == Outcome::unknown);
            CHECK(flow.result().message.find("no state was read before the change") !=
                  std::string::npos);
        }
        SUBCASE("the same intent again after it was settled: never round again") {
            OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
            auto script = meets_dead();
            for (Line l : {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                           read_log(log_of({})), read_order(details("Active", end_before)),
                           read_order(details("Active", end_before)), claim(dead_claim(before))})
                script.push_back(l);
            walk(flow, script);
            CHECK(flow.result().outcome == Outcome::unknown);
            CHECK(flow.result().message.find("could not be closed") != std::string::npos);
        }
    }

    TEST_CASE("a live run's intent keeps blocking, with its message") {
        const auto settings = settings_for(renew());
        OrderFlow flow(renew(), settings, target("100"), "100", renew_params());
        ClaimAnswer live;
        live.granted = false;
        live.refusal = "job nightly (/r/x) has had a backup.renew of this order in doubt since T";
        walk(flow, {read_order(details("Active", end_before)), claim(live)});
        CHECK(flow.result().outcome == Outcome::skipped);
        CHECK(flow.result().message == live.refusal);
    }
}

}  // namespace dead_intent_test
