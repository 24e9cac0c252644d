// The order flow's main paths, step by step: the rows of the README's outcome table.
#include "flow_script.hpp"
#include "jobs/actions/action_behaviour.hpp"

namespace order_flow_test {

using namespace rcbatch::test;
using rcbatch::jobs::TargetContext;

namespace {
const rcbatch::jobs::ActionSpec& action(const char* name) {
    return *rcbatch::jobs::find_action(name);
}

struct Row {
    const char* name;
    const char* action;
    std::vector<Line> script;
    Outcome outcome;
    const char* message_part;
};
}  // namespace

TEST_SUITE("order flow") {
    TEST_CASE("every path of one order, from the first step to its record") {
        const std::vector<Row> rows{
            {"renew applied",
             "backup.renew",
             {read_order(details("Active", end_before)), claim(),
              send(ok(R"({"eaqid":"9","actionstatus":"Success","entityid":"100"})"))},
             Outcome::ok,
             ""},
            {"renew pending: awaiting payment",
             "backup.renew",
             {read_order(details("Active", end_before)), claim(),
              send(ok(
                  R"({"eaqid":"9","actionstatus":"Pending","actionstatusdesc":"awaiting payment"})"))},
             Outcome::ok,
             "pending: Pending: awaiting payment (action 9)"},
            {"preflight: not Active",
             "backup.renew",
             {read_order(details("Suspended", end_before))},
             Outcome::skipped,
             "order is Suspended"},
            {"preflight: read failed",
             "backup.renew",
             {read_order(api_error("No Entity found for Entityid: 100"))},
             Outcome::api_error,
             "No Entity found"},
            {"preflight: details not an object",
             "backup.renew",
             {read_order(ok("42"))},
             Outcome::api_error,
             "not an object"},
            {"delete: already Deleted",
             "backup.delete",
             {read_order(details("Deleted", end_before))},
             Outcome::skipped,
             "already Deleted"},
            {"the ledger refuses: another run renewed it",
             "backup.renew",
             {read_order(details("Active", end_before)), claim({false, "renewed by job x", ""})},
             Outcome::skipped,
             "renewed by job x"},
            {"the ledger cannot be written",
             "backup.renew",
             {read_order(details("Active", end_before)), claim({false, "", "disk full"})},
             Outcome::not_run,
             "not sent: disk full"},
            {"api error",
             "backup.renew",
             {read_order(details("Active", end_before)), claim(),
              send(api_error("There is already an action pending on this Order."))},
             Outcome::api_error,
             "already an action pending"},
            {"transient after the retries",
             "backup.renew",
             {read_order(details("Active", end_before)), claim(),
              send({Outcome::transient, "429", 429, {}, {}})},
             Outcome::transient,
             "429"},
            {"a read: details",
             "backup.details",
             {send(ok(R"({"orderid":"100","endtime":"5"})"))},
             Outcome::ok,
             ""},
            {"resend sent",
             "nixi.resend",
             {read_order(ok(R"({"currentstatus":"Active","emailVerificationStatus":"Pending"})")),
              claim(),
              send(ok(R"({"status":"Success","message":"Verification email has been sent"})"))},
             Outcome::ok,
             ""},
            {"install-agent sent",
             "backup.install-agent",
             {read_order(details("Active", end_before)), claim(),
              send(ok(R"({"status":"Success"})"))},
             Outcome::ok,
             ""},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            const auto& spec = action(row.action);
            const auto settings = settings_for(spec);
            OrderFlow flow(spec, settings, target("100"), "100", renew_params());
            walk(flow, row.script);
            CHECK(flow.result().outcome == row.outcome);
            CHECK(flow.result().message.find(row.message_part) != std::string::npos);
            CHECK(flow.result().order_id == "100");
        }
    }

    TEST_CASE("a target that cannot run, and a duplicate, take no step") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        OrderFlow bad(renew, settings, bad_target("x", "line 3: 'x' is not an order id"), "", {});
        CHECK(bad.step() == Step::done);
        CHECK(bad.result().outcome == Outcome::not_run);
        OrderFlow dup(renew, settings, duplicate_target("100", "line 1"), "100", {});
        CHECK(dup.step() == Step::done);
        CHECK(dup.result().outcome == Outcome::skipped);
        CHECK(dup.result().message == "duplicate of line 1");
    }

    TEST_CASE("a domain name is resolved first; a failed lookup ends the order") {
        const auto& resend = action("nixi.resend");
        const auto settings = settings_for(resend);
        OrderFlow found(resend, settings, target("shop.in"), "", {});
        walk(found,
             {resolve(ok("\"100\"")),
              read_order(ok(R"({"currentstatus":"Active","emailVerificationStatus":"Verified",
                                       "eKYCVerificationStatus":"Verified"})"))});
        CHECK(found.order_id() == "100");
        CHECK(found.result().outcome == Outcome::skipped);
        OrderFlow missing(resend, settings, target("none.in"), "", {});
        walk(missing, {resolve(ok("true"))});
        CHECK(missing.result().outcome == Outcome::api_error);
        CHECK(missing.result().message == "no order id for none.in in the API's answer");
        OrderFlow twice(resend, settings, target("Shop.in"), "", {});
        twice.resolved(ok("100"));
        twice.duplicate("'shop.in' (the same order 100)");
        CHECK(twice.result().outcome == Outcome::skipped);
    }

    TEST_CASE("a feeder called at another step ends the order unknown, never a step taken") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        OrderFlow flow(renew, settings, target("100"), "100", {});
        REQUIRE(flow.step() == Step::read_order);
        flow.sent(ok(R"({"eaqid":"9","actionstatus":"Success"})"), now);  // not asked for
        CHECK(flow.step() == Step::done);
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK(flow.result().message ==
              "internal error: the order flow was given sent at step read_order (expected send); "
              "check the order by hand");
        flow.order_read(details("Active", end_before), now);  // a late feed changes nothing
        CHECK(flow.result().outcome == Outcome::unknown);
    }

    TEST_CASE("a plan reads, judges and describes; it sends nothing") {
        const auto& renew = action("backup.renew");
        auto settings = settings_for(renew);
        settings.dry_run = true;
        settings.preflight = false;  // a plan reads the order even so
        OrderFlow flow(renew, settings, target("100"), "100", renew_params());
        // The ledger's guard is asked too, read-only (the plan is the run).
        walk(flow, {read_order(details("Active", 1'800'000'000)), claim()});
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(flow.describes_request());
        CHECK(flow.result().message == "renew 12 months: endtime 2027-01-15 -> 2028-01-15");
    }

    TEST_CASE("run --plan: an order that changed since the plan is stale") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        TargetContext planned = target("100");
        planned.planned = rcbatch::jobs::OrderState{"Active", std::to_string(end_before - 1)};
        OrderFlow flow(renew, settings, planned, "100", renew_params());
        walk(flow, {read_order(details("Active", end_before))});
        CHECK(flow.result().outcome == Outcome::skipped);
        CHECK(flow.result().message.starts_with("stale: end time moved since the plan"));
    }

    TEST_CASE("a reply to a change that is not an action puts the change in doubt") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        for (const char* reply : {"true", "42", "[]", "{}", R"({"status":"Success"})"}) {
            CAPTURE(reply);
            OrderFlow flow(renew, settings, target("100"), "100", renew_params());
            walk(flow, {read_order(details("Active", end_before)), claim(), send(ok(reply)),
                        read_log(log_of({logged("Renew", now, false)}))});
            CHECK(flow.result().outcome == Outcome::ok);
            CHECK(flow.result().reconciled);
            CHECK(flow.result().message.starts_with(
                "applied (reconciled: action 555 (Renew, Success)"));
        }
    }
}

}  // namespace order_flow_test
