// Lost answers where an unchanged end time proves nothing (api.md §6): pending renews
// (OnlyAdd), renews applied only later, replies that are not actions. Each order is accepted
// once, whatever the evidence shows; the sandbox's counters say so.
#include "sandbox/api/api.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/run_fixture.hpp"

namespace lost_answers_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
std::vector<jobs::CallParam> renew(const char* invoice) {
    return {{"months", std::int64_t{12}},
            {"invoice-option", std::string(invoice)},
            {"auto-renew", false}};
}

sandbox::Options faulted(const char* spec) {
    sandbox::Options o = run_options(11);
    o.faults = sandbox::parse_fault_spec(spec);
    o.faults.stall_time = std::chrono::seconds(3);
    return o;
}

struct Case {
    const char* name;
    const char* faults;
    const char* invoice;
    bool reconciles;  // some orders are decided by reconciliation (the rest were resent)
};
}  // namespace

TEST_SUITE("never twice: lost answers") {
    TEST_CASE(
        "pending, late and non-action replies: every order accepted once, never resent blindly") {
        const std::vector<Case> cases{
            {"pending renews, the log shows them", "close-after=0.4", "OnlyAdd", true},
            {"pending renews, no log evidence: the resend finds it pending",
             "close-after=0.4,hide-actions=1", "OnlyAdd", true},
            {"applied late, the log lists it at once", "apply-late=0.5,apply-delay=50ms",
             "NoInvoice", true},
            {"applied late, no log: the settle delay outwaits it",
             "apply-late=0.5,apply-delay=50ms,hide-actions=1", "NoInvoice", true},
            {"replies that are not actions: nothing shows, so they are sent again",
             "not-action=0.5", "NoInvoice", false},
        };
        for (const Case& c : cases) {
            const std::string name = c.name;
            CAPTURE(name);
            RunFixture f(faulted(c.faults));
            const auto ids = f.own_orders(active_backup("us"), 24);
            REQUIRE(ids.size() == 24);
            auto action = f.action("backup.renew", "us", renew(c.invoice));
            action->flow.settle = std::chrono::milliseconds(400);
            auto out = f.run_ids(action, ids, f.settings(6), 60s);
            check_complete_reports(out, ids.size());
            std::size_t reconciled = 0;
            for (auto id : ids) {
                CAPTURE(id);
                const auto& r = out.at(std::to_string(id));
                CAPTURE(json::serialize(r));
                // Accepted once. A read that kept failing may leave an order unknown (for a
                // human); never resent without evidence.
                CHECK(f.counter(id, "backup.renew").applied == 1);
                CHECK((text_of(r.at("outcome")) == "ok" || text_of(r.at("outcome")) == "unknown"));
                reconciled += r.at("reconciled").as_bool();
            }
            CHECK(out.count("ok") >= ids.size() * 3 / 4);
            CHECK((reconciled > 0) == c.reconciles);
        }
    }

    TEST_CASE("a pending renew is reported pending, never done") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("asia"), 4);
        REQUIRE(ids.size() == 4);
        auto out = f.run_ids(f.action("backup.renew", "asia", renew("OnlyAdd")), ids, f.settings());
        for (auto id : ids) {
            const auto& r = out.at(std::to_string(id));
            CHECK(text_of(r.at("outcome")) == "ok");
            CHECK(text_of(r.at("fields").at("change")) == "pending");
            CHECK(text_of(r.at("message")).starts_with("pending: Pending"));
            CHECK(f.counter(id, "backup.renew").effective == 0);
        }
    }
}

}  // namespace lost_answers_test
