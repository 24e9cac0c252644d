// One classification of an action's status (issue #19, case 4): a change's reply and
// reconciliation read every status text api.md and the sandbox use the same way, so a reply
// whose status says "failed" or "cancelled" is never counted `ok`.
#include "jobs/api/action_status.hpp"

#include "jobs/actions/action_behaviour.hpp"
#include "jobs/evidence/action_log.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

namespace action_status_test {

using rcbatch::jobs::ActionStatus;
using rcbatch::jobs::ChangeReply;

namespace {
struct Row {
    const char* status;
    const char* description;
    ActionStatus expected;
};

// Every status text of api.md §4/§6 and the sandbox (service_actions.cpp, api_backup_changes.cpp,
// the decline fault), and the failure words reconciliation always knew.
const Row rows[] = {
    {"Success", "Renewal completed successfully", ActionStatus::applied},
    {"success", "", ActionStatus::applied},
    {"InvoicePaid", "Invoice paid from the customer's balance; renewal completed",
     ActionStatus::pending},
    {"InvoicePaid", "will be processed in the next 5-10 minutes", ActionStatus::pending},
    {"Pending", "Invoice 700000001 added; the renewal is awaiting payment", ActionStatus::pending},
    {"InProcess", "The action is being processed", ActionStatus::pending},
    {"Failed", "The action was refused", ActionStatus::failed},
    {"error", "Renewal failed: card declined", ActionStatus::failed},
    {"Error", "", ActionStatus::failed},
    {"Cancelled", "The action was cancelled", ActionStatus::failed},
    {"Canceled", "", ActionStatus::failed},
    {"Rejected", "", ActionStatus::failed},
    {"Declined", "", ActionStatus::failed},
    {"", "Renewal failed: card declined", ActionStatus::failed},
    // The status decides; a description's words do not override it.
    {"Pending", "retry after the earlier error was fixed", ActionStatus::pending},
};

const char* name(ActionStatus s) {
    return s == ActionStatus::applied   ? "applied"
           : s == ActionStatus::pending ? "pending"
                                        : "failed";
}
}  // namespace

TEST_SUITE("action status") {
    TEST_CASE("every status text has one class, for replies and the action log alike") {
        for (const Row& row : rows) {
            CAPTURE(row.status);
            CAPTURE(row.description);
            CHECK(name(rcbatch::jobs::classify_action_status(row.status, row.description)) ==
                  std::string(name(row.expected)));

            // The reply of a change carrying it.
            boost::json::object reply{{"eaqid", "500000001"},
                                      {"actionstatus", row.status},
                                      {"actionstatusdesc", row.description}};
            const ChangeReply judged = rcbatch::jobs::judge_action_object(reply);
            const ChangeReply::Kind kind =
                row.expected == ActionStatus::applied   ? ChangeReply::Kind::applied
                : row.expected == ActionStatus::pending ? ChangeReply::Kind::pending
                                                        : ChangeReply::Kind::failed;
            if (*row.status != '\0') CHECK(static_cast<int>(judged.kind) == static_cast<int>(kind));

            // The action log's entry carrying it, as reconciliation reads it.
            rcbatch::jobs::LoggedAction logged{"500000001", "100", "Renew", row.status,
                                               1,           false, ""};
            if (*row.description != '\0')
                logged.status = logged.status.empty() ? std::string(row.description)
                                                      : logged.status + ": " + row.description;
            CHECK(rcbatch::jobs::logged_as_failed(logged) ==
                  (row.expected == ActionStatus::failed));
        }
    }

    TEST_CASE("an action object without a status is applied; a failed one keeps the API's words") {
        CHECK(rcbatch::jobs::judge_action_object(boost::json::parse(R"({"eaqid":"7"})")).kind ==
              ChangeReply::Kind::applied);
        const ChangeReply declined = rcbatch::jobs::judge_action_object(boost::json::parse(
            R"({"eaqid":"7","actionstatus":"error","actionstatusdesc":"Renewal failed: card declined"})"));
        CHECK(declined.kind == ChangeReply::Kind::failed);
        CHECK(declined.status == "error: Renewal failed: card declined");
    }
}

}  // namespace action_status_test
