// Issue #19 step by step: a change's reply whose status failed is no `ok` (case 4), evidence is
// placed on the server's clock or against the look before the send (case 3), and the account's
// recent actions are the repeat guard every actor shares (case 5), in runs and plans alike.
#include "flow_script.hpp"
#include "jobs/actions/action_behaviour.hpp"

namespace guard_test {

using namespace rcbatch::test;

namespace {
const rcbatch::jobs::ActionSpec& renew() { return *rcbatch::jobs::find_action("backup.renew"); }

rcbatch::jobs::FlowSettings guarded() {
    auto s = settings_for(renew());
    s.action_guard = true;
    return s;
}

// The flow keeps a reference to its settings: these outlive every flow.
const rcbatch::jobs::FlowSettings& plain() {
    static const rcbatch::jobs::FlowSettings s = settings_for(renew());
    return s;
}
const rcbatch::jobs::FlowSettings& guard() {
    static const rcbatch::jobs::FlowSettings s = guarded();
    return s;
}

rcbatch::jobs::LoggedAction action(const char* eaqid, std::int64_t added,
                                   const char* status = "Success", const char* type = "Renew") {
    return {eaqid, "100", type, status, added, false, ""};
}
}  // namespace

TEST_SUITE("flow: failed replies") {
    TEST_CASE("a renew answered 'error' or 'Cancelled' is an api_error with the API's text") {
        const struct {
            const char* reply;
            const char* message;
        } rows[] = {
            {R"({"eaqid":"9","actionstatus":"error","actionstatusdesc":"Renewal failed: card declined"})",
             "error: Renewal failed: card declined"},
            {R"({"eaqid":"9","actionstatus":"Cancelled","actionstatusdesc":"The action was cancelled"})",
             "Cancelled: The action was cancelled"},
            {R"({"eaqid":"9","actionstatus":"Failed"})", "Failed"},
        };
        for (const auto& row : rows) {
            CAPTURE(row.reply);
            OrderFlow flow(renew(), plain(), target("100"), "100", renew_params());
            walk(flow, {read_order(details("Active", end_before)), claim(), send(ok(row.reply))});
            CHECK(flow.result().outcome == Outcome::api_error);
            CHECK(flow.result().message == row.message);
            CHECK_FALSE(flow.result().fields.contains("change"));
        }
    }
}

TEST_SUITE("flow: evidence on the server's clock") {
    TEST_CASE("client an hour behind: a renew added 10 min before the intent is no evidence") {
        // The claim happened at `now` on this machine's clock and now + 3600 on the server's.
        rcbatch::jobs::ClaimAnswer c = granted();
        c.server_at = now + 3600;
        // Each of the three sends is lost; each time the log shows only that older renew, the
        // end time does not move, and after the settle delay the change goes again, until the
        // attempts run out: unknown, never "applied (reconciled)".
        const Line older_renew = read_log(log_of({action("555", now + 3600 - 600)}));
        const Line unchanged = read_order(details("Active", end_before));
        std::vector<Line> script{unchanged, claim(c)};
        for (int send_no = 1; send_no <= 3; ++send_no)
            for (const Line& line :
                 {send(lost()), older_renew, unchanged, wait(), older_renew, unchanged})
                script.push_back(line);
        OrderFlow flow(renew(), plain(), target("100"), "100", renew_params());
        walk(flow, script);
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK_FALSE(flow.result().reconciled);
    }

    TEST_CASE("the same renew added after the intent on the server's clock is evidence") {
        rcbatch::jobs::ClaimAnswer c = granted();
        c.server_at = now + 3600;
        OrderFlow flow(renew(), plain(), target("100"), "100", renew_params());
        walk(flow, {read_order(details("Active", end_before)), claim(c), send(lost()),
                    read_log(log_of({action("555", now + 3600 + 1)}))});
        CHECK(flow.result().outcome == Outcome::ok);
        CHECK(flow.result().reconciled);
        CHECK(flow.result().fields.at("eaqid") == "555");  // recorded in the ledger
    }

    TEST_CASE("no server clock and no look before the send: a logged renew proves nothing") {
        rcbatch::jobs::ClaimAnswer c = granted();
        c.server_at.reset();
        OrderFlow flow(renew(), plain(), target("100"), "100", renew_params());
        walk(flow, {read_order(details("Active", end_before)), claim(c), send(lost()),
                    read_log(log_of({action("555", now)}))});
        CHECK(flow.result().outcome == Outcome::unknown);
        CHECK(flow.result().message.find("cannot be placed after the intent") != std::string::npos);
    }

    TEST_CASE("no server clock: the look before the send tells a new action from an old one") {
        rcbatch::jobs::ClaimAnswer c = granted();
        c.server_at.reset();
        auto s = guarded();
        s.repeat_guard = std::chrono::seconds(60);  // the old renew is outside the window
        const auto old = action("554", now - 7200);

        OrderFlow seen(renew(), s, target("100"), "100", renew_params());
        walk(seen, {read_order(details("Active", end_before)), check_actions(looked({old})),
                    claim(c), send(lost()), read_log(log_of({old, action("555", now - 5)}))});
        CHECK(seen.result().outcome == Outcome::ok);  // 555 was not there, and is not older
        CHECK(seen.result().message.find("action 555") != std::string::npos);

        // Only the action the look saw: nothing new, so the state decides.
        OrderFlow same(renew(), s, target("100"), "100", renew_params());
        walk(same, {read_order(details("Active", end_before)), check_actions(looked({old})),
                    claim(c), send(lost()), read_log(log_of({old})),
                    read_order(details("Active", end_before + 86400 * 30))});
        CHECK(same.result().outcome == Outcome::ok);
        CHECK(same.result().message.find("end time moved") != std::string::npos);

        // An action older than the newest the look saw that it did not see: from before it.
        OrderFlow older(renew(), s, target("100"), "100", renew_params());
        walk(older,
             {read_order(details("Active", end_before)), check_actions(looked({old}, now - 100)),
              claim(c), send(lost()), read_log(log_of({action("553", now - 200)})),
              read_order(details("Active", end_before + 86400 * 30))});
        CHECK(older.result().message.find("end time moved") != std::string::npos);
    }
}

TEST_SUITE("flow: the repeat guard every actor shares") {
    TEST_CASE("a renew by another client within repeat-guard skips the order, naming it") {
        OrderFlow flow(renew(), guard(), target("100"), "100", renew_params());
        walk(flow, {read_order(details("Active", end_before)),
                    check_actions(looked({action("700000079", now - 3 * 3600)})), claim()});
        CHECK(flow.result().outcome == Outcome::skipped);
        CHECK(flow.result().message ==
              "renewed 3 h ago by another client (action 700000079, Success; repeat-guard 24 h)");
    }

    TEST_CASE("the rcbatch run whose change it was is named instead") {
        rcbatch::jobs::ClaimAnswer c = granted();
        c.made_by = "job renew-a (/reports/renew-a/20261130T100000Z)";
        OrderFlow flow(renew(), guard(), target("100"), "100", renew_params());
        walk(flow, {read_order(details("Active", end_before)),
                    check_actions(looked({action("700000079", now - 600)})), claim(c)});
        CHECK(flow.result().message ==
              "renewed 10 min ago by job renew-a (/reports/renew-a/20261130T100000Z) (action "
              "700000079, Success; repeat-guard 24 h)");
    }

    TEST_CASE("what does not block: failed or cancelled, older than the window, another type") {
        for (const auto& a :
             {action("1", now - 600, "Cancelled: by the customer"),
              action("2", now - 600, "error: Renewal failed: card declined"),
              action("3", now - 25 * 3600), action("4", now - 60, "Success", "Delete"),
              rcbatch::jobs::LoggedAction{"5", "200", "Renew", "Success", now, false, ""}}) {
            CAPTURE(a.eaqid);
            OrderFlow flow(renew(), guard(), target("100"), "100", renew_params());
            walk(flow, {read_order(details("Active", end_before)), check_actions(looked({a})),
                        claim(), send(ok(R"({"eaqid":"9","actionstatus":"Success"})"))});
            CHECK(flow.result().outcome == Outcome::ok);
        }
    }

    TEST_CASE("unreadable lists: the ledger alone guards (its refusal still skips)") {
        OrderFlow flow(renew(), guard(), target("100"), "100", renew_params());
        walk(flow, {read_order(details("Active", end_before)), check_actions({}), claim(),
                    send(ok(R"({"eaqid":"9","actionstatus":"Success"})"))});
        CHECK(flow.result().outcome == Outcome::ok);

        rcbatch::jobs::ClaimAnswer refused;
        refused.granted = false;
        refused.refusal = "renewed by job a (/r) at 2027-01-15T08:00:00Z (ok; repeat-guard 24 h)";
        OrderFlow blocked(renew(), guard(), target("100"), "100", renew_params());
        walk(blocked,
             {read_order(details("Active", end_before)), check_actions({}), claim(refused)});
        CHECK(blocked.result().outcome == Outcome::skipped);
        CHECK(blocked.result().message == refused.refusal);
    }

    TEST_CASE("a plan asks the same guards and shows the skip; it sends nothing") {
        auto s = guarded();
        s.dry_run = true;
        OrderFlow hit(renew(), s, target("100"), "100", renew_params());
        walk(hit, {read_order(details("Active", end_before)),
                   check_actions(looked({action("7", now - 3600)})), claim()});
        CHECK(hit.result().outcome == Outcome::skipped);
        CHECK(hit.result().message.starts_with("renewed 1 h ago by another client"));
        CHECK_FALSE(hit.describes_request());

        OrderFlow clear(renew(), s, target("100"), "100", renew_params());
        walk(clear,
             {read_order(details("Active", end_before)), check_actions(looked({})), claim()});
        CHECK(clear.result().outcome == Outcome::ok);
        CHECK(clear.describes_request());
    }
}

}  // namespace guard_test
