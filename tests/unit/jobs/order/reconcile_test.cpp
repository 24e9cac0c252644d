// Reconciliation step by step (api.md §6; the README's reconciliation table): a change whose
// answer was lost, and an earlier session's open intent, decided from the action log first,
// then the order's state, then both again after the settle delay.
#include "flow_script.hpp"
#include "jobs/actions/action_behaviour.hpp"

namespace reconcile_test {

using namespace rcbatch::test;
using rcbatch::jobs::EarlierIntent;
using rcbatch::jobs::OrderState;
using rcbatch::jobs::TargetContext;

namespace {
const rcbatch::jobs::ActionSpec& action(const char* name) {
    return *rcbatch::jobs::find_action(name);
}

struct Row {
    const char* name;
    const char* action;
    std::vector<Line> after_loss;  // the steps after the lost answer
    Outcome outcome;
    const char* message_start;
    bool resent = false;  // the script ends with a second send
};

std::vector<Line> lost_change() {
    return {read_order(details("Active", end_before)), claim(), send(lost())};
}
}  // namespace

TEST_SUITE("reconcile") {
    TEST_CASE("a lost answer: every evidence and what it decides") {
        const std::int64_t moved = end_before + 86400 * 365;
        const std::vector<Row> rows{
            {"pending in the current actions",
             "backup.renew",
             {read_log(log_of({logged("Renew", now, true, "Pending")}))},
             Outcome::ok,
             "pending (reconciled: action 555 (Renew, Pending) is in the current actions)"},
            {"done in the archived actions",
             "backup.renew",
             {read_log(log_of({logged("Renew", now, false)}))},
             Outcome::ok,
             "applied (reconciled: action 555 (Renew, Success) is in the archived actions)"},
            {"archived as failed",
             "backup.renew",
             {read_log(log_of({logged("Renew", now, false, "Failed")}))},
             Outcome::unknown,
             "the request may have been applied"},
            {"an older renew in the log is no evidence",
             "backup.renew",
             {read_log(log_of({logged("Renew", now - 3600, false)})),
              read_order(details("Active", moved))},
             Outcome::ok,
             "applied (reconciled: end time moved"},
            {"another type is no evidence",
             "backup.renew",
             {read_log(log_of({logged("Delete", now, false)})),
              read_order(details("Active", moved))},
             Outcome::ok,
             "applied (reconciled: end time moved"},
            {"the end time moved",
             "backup.renew",
             {read_log(log_of({})), read_order(details("Active", moved))},
             Outcome::ok,
             "applied (reconciled: end time moved"},
            {"the end time moved back",
             "backup.renew",
             {read_log(log_of({})), read_order(details("Active", end_before - 10))},
             Outcome::unknown,
             "the request may have been applied"},
            {"nothing shows, twice: sent again",
             "backup.renew",
             {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
              read_log(log_of({})), read_order(details("Active", end_before)),
              send(ok(R"({"eaqid":"7","actionstatus":"Success"})"))},
             Outcome::ok,
             "",
             true},
            {"nothing at first, applied late",
             "backup.renew",
             {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
              read_log(log_of({logged("Renew", now + 5, false)}))},
             Outcome::ok,
             "applied (reconciled: action 555"},
            {"the resend finds the first one pending",
             "backup.renew",
             {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
              read_log(log_of({})), read_order(details("Active", end_before)),
              send(api_error("There is already an action pending on this Order."))},
             Outcome::ok,
             "pending (reconciled: the earlier request left a pending action)",
             true},
            {"the log cannot be read",
             "backup.renew",
             {read_log(log_failed(api_error("Invalid path")))},
             Outcome::unknown,
             "the request may have been applied"},
            {"the order cannot be re-read",
             "backup.renew",
             {read_log(log_of({})), read_order({Outcome::ambiguous, "reset", 0, {}, {}})},
             Outcome::unknown,
             "the request may have been applied"},
            {"the run stops during the re-read",
             "backup.renew",
             {read_log(log_failed(stopped()))},
             Outcome::not_run,
             "may have been applied; the run stopped before it was reconciled"},
            {"delete: the order is Deleted",
             "backup.delete",
             {read_log(log_of({})), read_order(details("Deleted", end_before))},
             Outcome::ok,
             "applied (reconciled: the order is Deleted)"},
            {"install-agent: in the log",
             "backup.install-agent",
             {read_log(log_of({logged("InstallAgent", now, false)}))},
             Outcome::ok,
             "applied (reconciled: action 555"},
            {"install-agent: nothing in the log, twice: sent again",
             "backup.install-agent",
             {read_log(log_of({})), wait(), read_log(log_of({})),
              send(ok(R"({"status":"Success"})"))},
             Outcome::ok,
             "",
             true},
            {"resend: sent again (repeat-resend)",
             "nixi.resend",
             {send(ok(R"({"status":"Success"})"))},
             Outcome::ok,
             "",
             true},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            const auto& spec = action(row.action);
            const auto settings = settings_for(spec);
            OrderFlow flow(spec, settings, target("100"), "100", renew_params());
            std::vector<Line> script = lost_change();
            if (std::string_view(row.action) == "nixi.resend")
                script[0] = read_order(
                    ok(R"({"currentstatus":"Active","emailVerificationStatus":"Pending"})"));
            script.insert(script.end(), row.after_loss.begin(), row.after_loss.end());
            walk(flow, script);
            CHECK(flow.result().outcome == row.outcome);
            CHECK(flow.result().message.starts_with(row.message_start));
            if (row.outcome == Outcome::ok && !row.resent) CHECK(flow.result().reconciled);
        }
    }

    TEST_CASE("without the action log an unchanged end time proves nothing") {
        const auto& renew = action("backup.renew");
        auto settings = settings_for(renew);
        settings.action_log = false;
        OrderFlow flow(renew, settings, target("100"), "100", renew_params());
        auto script = lost_change();
        script.push_back(read_order(details("Active", end_before)));
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK(flow.result().message.find("the action log is not read") != std::string::npos);
    }

    TEST_CASE("without a state read before the change, an empty log decides nothing") {
        const auto& renew = action("backup.renew");
        auto settings = settings_for(renew);
        settings.preflight = false;
        OrderFlow flow(renew, settings, target("100"), "100", renew_params());
        walk(flow, {claim(), send(lost()), read_log(log_of({}))});
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK(flow.result().message.find("no state was read before the change") !=
              std::string::npos);
    }

    TEST_CASE("the sends run out: unknown, never a fourth renew") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);  // max_sends = 3
        OrderFlow flow(renew, settings, target("100"), "100", renew_params());
        std::vector<Line> script = lost_change();
        for (int i = 0; i < 2; ++i)
            for (Line l :
                 {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                  read_log(log_of({})), read_order(details("Active", end_before)), send(lost())})
                script.push_back(l);
        for (Line l : {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                       read_log(log_of({})), read_order(details("Active", end_before))})
            script.push_back(l);
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK(flow.result().message.find("the attempts ran out") != std::string::npos);
    }

    TEST_CASE("resend with repeat-resend = false: a lost answer is for a human") {
        const auto& resend = action("nixi.resend");
        auto settings = settings_for(resend);
        settings.repeat_resend = false;
        OrderFlow flow(resend, settings, target("100"), "100", {});
        walk(flow,
             {read_order(ok(R"({"currentstatus":"Active","emailVerificationStatus":"Pending"})")),
              claim(), send(lost())});
        CHECK(flow.result().outcome == Outcome::unknown);
    }

    TEST_CASE("the run stops during the settle delay: the order stays open for --resume") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        OrderFlow flow(renew, settings, target("100"), "100", renew_params());
        for (const Line& l : lost_change()) l.answer(flow);
        flow.log_read(log_of({}));
        flow.order_read(details("Active", end_before), now);
        REQUIRE(flow.step() == Step::wait);
        flow.stopped("the run stopped");
        CHECK(flow.result().outcome == Outcome::cancelled);
        CHECK_FALSE(rcbatch::engine::is_final(flow.result().outcome));
    }

    TEST_CASE("an earlier session's intent (--resume)") {
        const auto& renew = action("backup.renew");
        const auto settings = settings_for(renew);
        auto earlier = [](std::optional<OrderState> state) {
            TargetContext c = target("100");
            c.intent = EarlierIntent{"100", now, std::move(state), now};
            return c;
        };
        const OrderState before{"Active", std::to_string(end_before)};
        OrderFlow applied(renew, settings, earlier(before), "", renew_params());
        walk(applied, {read_log(log_of({logged("Renew", now, false)}))});
        CHECK(applied.result().message.starts_with(
            "applied in an earlier session (reconciled: action 555"));

        OrderFlow not_applied(renew, settings, earlier(before), "", renew_params());
        walk(not_applied, {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                           read_log(log_of({})), read_order(details("Active", end_before)),
                           read_order(details("Active", end_before)), claim(),
                           send(ok(R"({"eaqid":"8","actionstatus":"Success"})"))});
        CHECK(not_applied.result().outcome == Outcome::ok);
        CHECK_FALSE(not_applied.result().reconciled);

        OrderFlow no_state(renew, settings, earlier(std::nullopt), "", renew_params());
        walk(no_state, {read_log(log_of({}))});
        CHECK(no_state.result().outcome == Outcome::unknown);
        CHECK(no_state.result().message.starts_with(
            "a request of an earlier session may have been applied"));
    }
}

TEST_SUITE("reconcile: rcbatch settle (settle_only)") {
    TEST_CASE("an earlier intent is decided from the evidence and nothing is ever sent") {
        const auto& renew = *rcbatch::jobs::find_action("backup.renew");
        auto settings = settings_for(renew);
        settings.settle_only = true;
        auto earlier = [] {
            TargetContext c = target("100");
            c.intent =
                EarlierIntent{"100", now, OrderState{"Active", std::to_string(end_before)}, now};
            return c;
        };
        OrderFlow applied(renew, settings, earlier(), "", renew_params());
        walk(applied, {read_log(log_of({logged("Renew", now, false)}))});
        CHECK(applied.result().outcome == Outcome::ok);
        CHECK(applied.result().message.starts_with("applied (settled: action 555"));

        // Nothing shows, twice: not applied, for a --resume to send; no claim, no send.
        OrderFlow not_applied(renew, settings, earlier(), "", renew_params());
        walk(not_applied, {read_log(log_of({})), read_order(details("Active", end_before)), wait(),
                           read_log(log_of({})), read_order(details("Active", end_before))});
        CHECK(not_applied.result().outcome == Outcome::not_run);
        CHECK(not_applied.result().message.starts_with("not applied (settled: "));
        CHECK(not_applied.result().fields.at("change").as_string() == "not_applied");

        OrderFlow undecided(renew, settings, earlier(), "", renew_params());
        walk(undecided, {read_log(log_of({logged("Renew", now, false, "Failed")}))});
        CHECK(undecided.result().outcome == Outcome::unknown);
    }
}

}  // namespace reconcile_test
