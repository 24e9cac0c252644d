// The domain changes of api.md §7 run as jobs against the sandbox: domain.renew applied exactly
// once per order (the expiry moved by exactly `years`, one RenewDomain action, one invoice)
// whatever went wrong — answers lost after it was applied, a renew applied late, a renew left
// pending (OnlyAdd), an order named twice, a second job, a killed run resumed — and its fence:
// a replay is refused by the API and the outcome comes from the order read again, never from
// the refusal's words. Then the free changes: name servers from a CSV's own column, theft
// protection on and off, privacy refused where the registry does not allow it.

#include "sandbox/api/api.hpp"
#include "sandbox/api/faults.hpp"
#include "sandbox/api/reply.hpp"
#include "tests/support/killed_run_fixture.hpp"
#include "tests/support/run_fixture.hpp"

#include <algorithm>
#include <cctype>

namespace domain_changes_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {

constexpr const char* renew_action = "domain.renew";
constexpr auto npos = std::string::npos;

sandbox::Options domain_options(const char* faults = "", std::uint64_t seed = 7,
                                std::size_t domains = 80) {
    sandbox::Options o = run_options(seed);
    o.sizes.domains = domains;
    o.faults = sandbox::parse_fault_spec(faults);
    o.faults.stall_time = 3s;  // longer than the attempt timeout: a stalled reply is lost
    return o;
}

std::vector<jobs::CallParam> renew_years(std::int64_t years, const char* invoice = "KeepInvoice") {
    return {{"years", years}, {"invoice-option", std::string(invoice)}, {"auto-renew", false}};
}

// Own domain orders a renew or another change is accepted on.
bool changeable(const sandbox::Order& o) {
    return o.kind == sandbox::OrderKind::domain && o.status == "Active" && !o.pending;
}

std::vector<std::uint64_t> active_domains(RunFixture& f, std::size_t most) {
    return f.own_orders(changeable, most);
}

std::map<std::uint64_t, std::int64_t> expiries(RunFixture& f,
                                               const std::vector<std::uint64_t>& ids) {
    std::map<std::uint64_t, std::int64_t> out;
    for (auto id : ids) out[id] = f.order(id).end_time;
    return out;
}

// What the sandbox recorded for an order: RenewDomain actions, invoices, paid invoices.
struct Recorded {
    std::size_t renew_actions = 0;
    std::size_t current_renew_actions = 0;
    std::size_t invoices = 0;
    std::size_t paid_invoices = 0;
};

Recorded recorded(RunFixture& f, std::uint64_t id) {
    return f.sb.call([&](sandbox::Server& s) {
        Recorded r;
        const auto& data = s.service().data();
        for (const auto& [eaqid, a] : data.actions)
            if (a.order_id == id && a.actiontype == "RenewDomain") {
                ++r.renew_actions;
                r.current_renew_actions += a.current;
            }
        for (const auto& [no, inv] : data.invoices)
            if (inv.order_id == id) {
                ++r.invoices;
                r.paid_invoices += inv.paid;
            }
        return r;
    });
}

// Renewed exactly once by `years`: accepted once, the expiry moved by exactly the term (and
// nothing held back), one RenewDomain action in the log, charged once (one KeepInvoice invoice).
void check_renewed_once(RunFixture& f, std::uint64_t id, std::int64_t before, std::int64_t years) {
    CAPTURE(id);
    CHECK(f.counter(id, renew_action).applied == 1);
    const sandbox::Order o = f.order(id);
    CHECK(o.end_time == sandbox::add_months(before, static_cast<int>(12 * years)));
    CHECK(o.renewals == 1);
    CHECK_FALSE(o.pending.has_value());
    const Recorded r = recorded(f, id);
    CHECK(r.renew_actions == 1);
    CHECK(r.current_renew_actions == 0);
    CHECK(r.invoices == 1);
}

// How many renews of `ids` the sandbox counted as having taken effect (README "Counters": at
// once, or later by pay or after apply-delay).
std::uint64_t effective(RunFixture& f, const std::vector<std::uint64_t>& ids) {
    std::uint64_t n = 0;
    for (auto id : ids) n += f.counter(id, renew_action).effective;
    return n;
}

// Waits (bounded) until no order of `ids` has a held change left (apply-late's apply-delay, a
// paid invoice): the sandbox's own state says so, nothing here is timed.
void wait_settled(RunFixture& f, const std::vector<std::uint64_t>& ids) {
    for (int i = 0; i < 1500; ++i) {
        bool all = true;
        for (auto id : ids) all = all && !f.order(id).pending.has_value();
        if (all) return;
        std::this_thread::sleep_for(20ms);
    }
    FAIL("held renews did not take effect within 30 s");
}

// A renew sent straight to the sandbox's API (no fault acted out), as a replay of the flow's
// own request: order, years and the exp-date its preflight read.
boost::json::object post_renew(RunFixture& f, std::uint64_t id, std::int64_t years,
                               const std::string& exp_date,
                               const std::string& invoice = "KeepInvoice") {
    const std::string target = "/api/domains/renew.json?auth-userid=" + f.sb.userid() +
                               "&api-key=" + f.sb.api_key() + "&order-id=" + std::to_string(id) +
                               "&years=" + std::to_string(years) + "&exp-date=" + exp_date +
                               "&invoice-option=" + invoice + "&auto-renew=false";
    const auto reply = f.sb.call([&](sandbox::Server& s) {
        sandbox::Incoming in;
        in.method = boost::beast::http::verb::post;
        in.target = target;
        const sandbox::Exchange ex = s.service().begin(in);
        return s.service().finish(ex);
    });
    return json::parse(reply.body).as_object();
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string outcome_of(const json::object& r) { return text_of(r.at("outcome")); }
std::string message_of(const json::object& r) { return text_of(r.at("message")); }
// A member of the record's fields, or "" when it has none.
std::string field_of(const json::object& r, std::string_view name) {
    const json::value* v = r.at("fields").as_object().if_contains(name);
    return v == nullptr ? std::string() : text_of(*v);
}

fs::path temp_file(RunFixture& f, const std::string& name) {
    fs::create_directories(f.reports);
    return f.reports / (name + "-" + std::to_string(::getpid()));
}

}  // namespace

TEST_SUITE("exactly once: domain.renew") {
    TEST_CASE("answers lost after the renew was applied, and before: each renewed once by years") {
        // close-after, truncate, stall: applied, the answer lost; 502, close-before: not
        // processed, so sent again — the same exp-date, still the expiry, so accepted once.
        RunFixture f(
            domain_options("close-after=0.3,truncate=0.1,stall=0.1,502=0.1,close-before=0.1,"
                           "only-action=domain.renew"));
        const auto ids = active_domains(f, 40);
        REQUIRE(ids.size() >= 30);
        const auto before = expiries(f, ids);
        auto out = f.run_ids(f.action(renew_action, "", renew_years(2)), ids, f.settings(8), 60s);
        check_complete_reports(out, ids.size());
        std::size_t reconciled = 0, resent = 0;
        for (auto id : ids) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(outcome_of(r) == "ok");
            check_renewed_once(f, id, before.at(id), 2);
            CHECK(f.counter(id, renew_action).effective == 1);
            reconciled += r.at("reconciled").as_bool();
            resent += f.counter(id, renew_action).received > 1;
        }
        CHECK(reconciled > 0);
        CHECK(resent > 0);  // some went again after an answer lost before it was processed
    }

    TEST_CASE(
        "the fence: a replay of an applied renew is refused; the outcome comes from the expiry "
        "read again") {
        // Every renew's answer is lost after it was applied, and the action log shows nothing:
        // the order's expiry, read again, is the only evidence.
        RunFixture f(domain_options("close-after=1,hide-actions=1,only-action=domain.renew"));
        const auto ids = active_domains(f, 6);
        REQUIRE(ids.size() == 6);
        const auto before = expiries(f, ids);
        auto out = f.run_ids(f.action(renew_action, "", renew_years(3)), ids, f.settings());
        check_complete_reports(out, ids.size());
        for (auto id : ids) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(outcome_of(r) == "ok");
            CHECK(r.at("reconciled").as_bool());
            CHECK(field_of(r, "change") == "applied");
            const std::string was = std::to_string(before.at(id));
            const std::string is = std::to_string(sandbox::add_months(before.at(id), 3 * 12));
            CHECK(text_of(r.at("fields").at("endtime_before")) == was);
            CHECK(text_of(r.at("fields").at("endtime_after")) == is);
            CHECK(message_of(r) == "applied (reconciled: expiry moved " + jobs::date_of(was) +
                                       " -> " + jobs::date_of(is) + ")");
            // Decided from the state: never sent twice, never from a refusal's text.
            CHECK(f.counter(id, renew_action).received == 1);
            CHECK(message_of(r).find(sandbox::msg::renew_fence) == std::string::npos);
            check_renewed_once(f, id, before.at(id), 3);

            // The same request again (the exp-date the preflight read): the fence refuses it,
            // nothing is charged or moved.
            const auto replay = post_renew(f, id, 3, was);
            CHECK(text_of(replay.at("status")) == "ERROR");
            CHECK(text_of(replay.at("message")) == sandbox::msg::renew_fence);
            check_renewed_once(f, id, before.at(id), 3);
        }
    }

    TEST_CASE("applied late: accepted once, in effect once, whatever the log shows") {
        // Which evidence decides depends on when the held renew takes effect, a matter of time:
        // each case names the one it is meant for first, and accepts the others a slow machine
        // may give; none is a failure, and each order is renewed once.
        struct Case {
            const char* name;
            const char* faults;
            std::chrono::milliseconds settle;
            std::vector<std::string> evidence;  // one is in every reconciled record's message
        };
        const std::string current = "is in the current actions",
                          archived = "is in the archived actions", moved = "expiry moved",
                          pending = "the earlier request left a pending action";
        const std::vector<Case> cases{
            {"the log lists it at once",
             "apply-late=0.5,apply-delay=50ms",
             200ms,
             {current, archived}},
            {"no log: the settle delay outwaits it, the expiry moved",
             "apply-late=0.5,apply-delay=50ms,hide-actions=1",
             1000ms,
             {moved, pending}},
            {"no log, still in process after the settle delay: the resend finds it pending",
             "apply-late=0.5,apply-delay=4s,hide-actions=1",
             50ms,
             {pending, moved}},
        };
        for (const Case& c : cases) {
            const std::string name = c.name;
            CAPTURE(name);
            RunFixture f(
                domain_options((std::string(c.faults) + ",only-action=domain.renew").c_str()));
            const auto ids = active_domains(f, 16);
            REQUIRE(ids.size() == 16);
            const auto before = expiries(f, ids);
            auto action = f.action(renew_action, "", renew_years(1));
            action->flow.settle = c.settle;
            auto out = f.run_ids(action, ids, f.settings(6), 60s);
            check_complete_reports(out, ids.size());
            std::size_t reconciled = 0;
            for (auto id : ids) {
                const auto& r = out.of(id);
                CAPTURE(json::serialize(r));
                CHECK(outcome_of(r) == "ok");
                CHECK(f.counter(id, renew_action).applied == 1);
                if (r.at("reconciled").as_bool()) {
                    ++reconciled;
                    const auto said = std::find_if(
                        c.evidence.begin(), c.evidence.end(),
                        [&](const std::string& e) { return message_of(r).find(e) != npos; });
                    CHECK(said != c.evidence.end());
                    if (said != c.evidence.begin()) MESSAGE("decided otherwise: " << message_of(r));
                }
            }
            CHECK(reconciled > 0);
            wait_settled(f, ids);
            for (auto id : ids) check_renewed_once(f, id, before.at(id), 1);
            CHECK(effective(f, ids) == ids.size());
        }
    }

    TEST_CASE("OnlyAdd leaves the renew pending: reported pending; no later run renews again") {
        RunFixture f(domain_options());
        const auto ids = active_domains(f, 4);
        REQUIRE(ids.size() == 4);
        const auto before = expiries(f, ids);
        auto first = f.run(f.action(renew_action, "", renew_years(1, "OnlyAdd")),
                           std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s,
                           "renew-pending");
        for (auto id : ids) {
            const auto& r = first.of(id);
            CAPTURE(json::serialize(r));
            CHECK(outcome_of(r) == "ok");
            CHECK(field_of(r, "change") == "pending");
            CHECK(message_of(r).starts_with("pending: "));
            const auto c = f.counter(id, renew_action);
            CHECK(c.applied == 1);
            CHECK(c.effective == 0);
            CHECK(f.order(id).end_time == before.at(id));  // unmoved: no proof of "not renewed"
            CHECK(recorded(f, id).current_renew_actions == 1);
        }

        // The same job again, and another job: the ledger knows the pending renews.
        for (const char* job : {"renew-pending", "renew-other"}) {
            CAPTURE(job);
            auto again =
                f.run(f.action(renew_action, "", renew_years(1, "OnlyAdd")),
                      std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s, job);
            CHECK(again.count("skipped") == ids.size());
        }
        // Another machine's ledger: the account's action lists show the pending RenewDomain.
        f.state_folder = "state-of-another-machine";
        auto elsewhere = f.run(f.action(renew_action, "", renew_years(1, "OnlyAdd")),
                               std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(),
                               40s, "renew-pending");
        CHECK(elsewhere.count("skipped") == ids.size());
        for (const auto& r : elsewhere.records) {
            CAPTURE(json::serialize(r));
            CHECK(message_of(r).starts_with("renewed "));
            CHECK(message_of(r).find(" ago by another client (action ") != npos);
        }
        for (auto id : ids) CHECK(f.counter(id, renew_action).received == 1);

        // Paid: each renew takes effect once.
        for (auto id : ids) {
            const auto paid = f.sb.call([&](sandbox::Server& s) { return s.service().pay(id); });
            CHECK(paid.status == boost::beast::http::status::ok);
        }
        for (auto id : ids) {
            check_renewed_once(f, id, before.at(id), 1);
            CHECK(recorded(f, id).paid_invoices == 1);
        }
        CHECK(effective(f, ids) == ids.size());
        // And after the payment, with the expiry moved, still no second renew.
        f.state_folder = "state";
        auto after_paid = f.run(f.action(renew_action, "", renew_years(1, "OnlyAdd")),
                                std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(),
                                40s, "renew-pending");
        CHECK(after_paid.count("skipped") == ids.size());
        for (auto id : ids) CHECK(f.counter(id, renew_action).received == 1);
    }

    TEST_CASE("OnlyAdd with lost answers: pending once, never a second renew") {
        RunFixture f(domain_options("close-after=0.5,only-action=domain.renew"));
        const auto ids = active_domains(f, 12);
        REQUIRE(ids.size() == 12);
        auto action = f.action(renew_action, "", renew_years(2, "OnlyAdd"));
        auto out = f.run_ids(action, ids, f.settings(4));
        check_complete_reports(out, ids.size());
        std::size_t reconciled = 0;
        for (auto id : ids) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(outcome_of(r) == "ok");
            CHECK(field_of(r, "change") == "pending");
            CHECK(f.counter(id, renew_action).applied == 1);
            CHECK(f.counter(id, renew_action).effective == 0);
            CHECK(recorded(f, id).renew_actions == 1);
            reconciled += r.at("reconciled").as_bool();
        }
        CHECK(reconciled > 0);
    }

    TEST_CASE("OnlyAdd with lost answers and no log: the resend finds it pending, once") {
        RunFixture f(domain_options("close-after=0.5,hide-actions=1,only-action=domain.renew"));
        const auto ids = active_domains(f, 12);
        REQUIRE(ids.size() == 12);
        auto action = f.action(renew_action, "", renew_years(2, "OnlyAdd"));
        action->flow.settle = 50ms;
        auto out = f.run_ids(action, ids, f.settings(4));
        check_complete_reports(out, ids.size());
        std::size_t reconciled = 0;
        for (auto id : ids) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            // A resend's refusal ("already an action pending") may be lost too: after max-sends
            // lost answers the order is left `unknown` for a human, never sent a sixth time.
            if (outcome_of(r) == "ok") {
                CHECK(field_of(r, "change") == "pending");
            } else {
                CHECK(outcome_of(r) == "unknown");
                CHECK(f.counter(id, renew_action).received == 5);
            }
            CHECK(f.counter(id, renew_action).applied == 1);
            CHECK(f.counter(id, renew_action).effective == 0);
            CHECK(recorded(f, id).renew_actions == 1);
            reconciled += r.at("reconciled").as_bool();
        }
        CHECK(reconciled > 0);
        CHECK(out.count("ok") >= ids.size() * 3 / 4);
    }

    TEST_CASE("an order named twice, by id and by domain name in another case, is renewed once") {
        int concurrency = 1;
        SUBCASE("one order at a time") { concurrency = 1; }
        SUBCASE("four at a time") { concurrency = 4; }
        CAPTURE(concurrency);
        RunFixture f(domain_options());
        const auto ids = active_domains(f, 2);
        REQUIRE(ids.size() == 2);
        const auto before = expiries(f, ids);
        const std::string a = f.order(ids[0]).description, b = f.order(ids[1]).description;
        const fs::path list = temp_file(f, "dup-domains.txt");
        std::ofstream(list) << ids[0] << "\n"    // line 1
                            << b << "\n"         // line 2
                            << upper(a) << "\n"  // line 3: ids[0] again, by name
                            << ids[1] << "\n"    // line 4: ids[1] again, by id
                            << ids[0] << "\n";   // line 5
        // One at a time, each later name or id of an order renewed already reads the moved
        // expiry and would renew it again; at once, two flows read the same expiry and the fence
        // refuses one. Either way each order is renewed once and each repeat is a duplicate.
        auto out =
            f.run(f.action(renew_action, "", renew_years(1)),
                  std::make_unique<jobs::FileSource>(list.string(), true), f.settings(concurrency));
        fs::remove(list);
        check_complete_reports(out, 5);
        CHECK(out.count("ok") == 2);
        CHECK(out.count("skipped") == 3);
        for (const auto& r : out.records) {
            CAPTURE(json::serialize(r));
            // Line 5 repeats line 1 exactly (found before the run); lines 3 and 4 name an order
            // another line reached first, which the ledger's claim refuses.
            if (outcome_of(r) == "skipped") CHECK(message_of(r).starts_with("duplicate"));
        }
        CHECK(out.summary.at("duplicates").to_number<int>() == 1);
        for (auto id : ids) {
            CHECK(f.counter(id, renew_action).received == 1);
            check_renewed_once(f, id, before.at(id), 1);
        }
    }

    TEST_CASE("a second job on the same orders: the ledger and the account's actions guard") {
        RunFixture f(domain_options());
        const auto ids = active_domains(f, 3);
        REQUIRE(ids.size() == 3);
        const auto before = expiries(f, ids);
        auto run = [&](const std::string& job) {
            return f.run(f.action(renew_action, "", renew_years(2)),
                         std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s,
                         job);
        };
        auto first = run("renew-a");
        CHECK(first.count("ok") == ids.size());

        auto same_job = run("renew-a");
        CHECK(same_job.count("skipped") == ids.size());
        auto second_job = run("renew-b");
        CHECK(second_job.count("skipped") == ids.size());
        for (const auto& r : second_job.records) {
            CAPTURE(json::serialize(r));
            CHECK(message_of(r).starts_with("renewed by job renew-a (" + first.report.dir.string() +
                                            ") at "));
        }
        f.state_folder = "state-of-another-machine";
        auto elsewhere = run("renew-a");
        CHECK(elsewhere.count("skipped") == ids.size());
        for (const auto& r : elsewhere.records) {
            CAPTURE(json::serialize(r));
            CHECK(message_of(r).starts_with("renewed "));
            CHECK(message_of(r).find(" ago by another client (action ") != npos);
        }
        for (auto id : ids) {
            CHECK(f.counter(id, renew_action).received == 1);
            check_renewed_once(f, id, before.at(id), 2);
        }
    }

    TEST_CASE("renew-if-expires-within: an order expiring later is skipped, nothing sent") {
        RunFixture f(domain_options());
        const std::int64_t now = unix_now();
        const std::int64_t window = 200 * 24 * 3600;
        const auto soon = f.own_orders(
            [&](const sandbox::Order& o) {
                return changeable(o) && o.end_time <= now + window - 60;
            },
            2);
        const auto later = f.own_orders(
            [&](const sandbox::Order& o) {
                return changeable(o) && o.end_time > now + window + 60;
            },
            2);
        REQUIRE(soon.size() == 2);
        REQUIRE(later.size() == 2);
        std::vector<std::uint64_t> ids = soon;
        ids.insert(ids.end(), later.begin(), later.end());
        const auto before = expiries(f, ids);
        auto action = f.action(renew_action, "", renew_years(1));
        action->flow.preflight_options.renew_if_expires_within = std::chrono::seconds(window);
        auto out = f.run_ids(action, ids, f.settings());
        for (auto id : soon) {
            CHECK(outcome_of(out.of(id)) == "ok");
            check_renewed_once(f, id, before.at(id), 1);
        }
        for (auto id : later) {
            CAPTURE(json::serialize(out.of(id)));
            CHECK(outcome_of(out.of(id)) == "skipped");
            CHECK(message_of(out.of(id)).ends_with(", not within renew-if-expires-within"));
            CHECK(f.counter(id, renew_action).received == 0);
            CHECK(f.order(id).end_time == before.at(id));
        }
    }

    TEST_CASE(
        "a killed run resumed: the renew it sent is found from the expiry, the rest sent once") {
        // kill -9 as the integration tier can make it (tests/support/killed_run.hpp): a journal
        // with an intent per order, the state its preflight read, an open change in the ledger.
        RunFixture f(domain_options("hide-actions=1"));
        const auto ids = active_domains(f, 2);
        REQUIRE(ids.size() == 2);
        const auto before = expiries(f, ids);
        auto action = f.action(renew_action, "", renew_years(1));
        const KilledRun killed = make_killed_run(f, "nightly", *action, ids, unix_now() - 30);
        // ids[0]'s renew reached the API before the kill (with the exp-date its preflight read);
        // ids[1]'s did not.
        const auto reached = post_renew(f, ids[0], 1, std::to_string(before.at(ids[0])));
        REQUIRE(text_of(reached.at("actiontype")) == "RenewDomain");
        auto out = f.resume(action, killed.dir, f.settings(), "nightly");
        CHECK(out.report.exit == engine::ExitCode::ok);
        CHECK(out.count("ok") == 2);
        const auto& r0 = out.of(ids[0]);
        CAPTURE(json::serialize(r0));
        CHECK(
            message_of(r0).starts_with("applied in an earlier session (reconciled: expiry moved "));
        CHECK(f.counter(ids[0], renew_action).received == 1);  // the killed session's, no other
        CHECK(f.counter(ids[1], renew_action).received == 1);
        for (auto id : ids) check_renewed_once(f, id, before.at(id), 1);
        CHECK(open_changes(f, killed.run_id, ids) == 0);
    }
}

TEST_SUITE("exactly once: domain.renew resumed") {
    TEST_CASE(
        "a killed run whose OnlyAdd renew was left pending, no log: resumed, it is pending, not a "
        "failure") {
        RunFixture f(domain_options("hide-actions=1"));
        const auto ids = active_domains(f, 1);
        REQUIRE(ids.size() == 1);
        const auto before = expiries(f, ids);
        auto action = f.action(renew_action, "", renew_years(1, "OnlyAdd"));
        const KilledRun killed = make_killed_run(f, "nightly", *action, ids, unix_now() - 30);
        // The killed session's renew reached the API and waits for its invoice to be paid.
        const auto reached = post_renew(f, ids[0], 1, std::to_string(before.at(ids[0])), "OnlyAdd");
        REQUIRE(text_of(reached.at("actionstatus")) == "Pending");
        auto out = f.resume(action, killed.dir, f.settings(), "nightly");
        const auto& r = out.of(ids[0]);
        CAPTURE(json::serialize(r));
        // The expiry cannot show a pending renew and the log is not readable; the API's
        // "There is already an action pending on this Order." to a resend is the evidence
        // (api.md §4, §6), as it is after this session's own lost answer.
        CHECK(outcome_of(r) == "ok");
        CHECK(field_of(r, "change") == "pending");
        CHECK(f.counter(ids[0], renew_action).applied == 1);
        CHECK(recorded(f, ids[0]).renew_actions == 1);
        CHECK(f.order(ids[0]).end_time == before.at(ids[0]));
    }
}

TEST_SUITE("exactly once: free domain changes") {
    TEST_CASE("modify-ns from a CSV with a name-server list per row: the same set is skipped") {
        RunFixture f(domain_options());
        const auto ids = active_domains(f, 5);
        REQUIRE(ids.size() == 5);
        // ids[0], ids[1]: their own set, in another order and case; the rest: new sets.
        std::map<std::uint64_t, std::vector<std::string>> wanted;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            std::vector<std::string> ns;
            if (i < 2) {
                ns = f.order(ids[i]).name_servers;
                REQUIRE(ns.size() >= 2);
                std::reverse(ns.begin(), ns.end());
                ns.front() = upper(ns.front());
            } else {
                for (std::size_t k = 1; k <= i; ++k)
                    ns.push_back("ns" + std::to_string(k) + ".row" + std::to_string(i) +
                                 ".example");
            }
            wanted[ids[i]] = ns;
        }
        const fs::path csv = temp_file(f, "ns.csv");
        {
            std::ofstream out(csv);
            out << "order-id,ns\n";
            for (auto id : ids) {
                out << id << ",";
                const auto& ns = wanted[id];
                for (std::size_t k = 0; k < ns.size(); ++k) out << (k ? " ; " : "") << ns[k];
                out << "\n";
            }
        }
        auto action = f.action("domain.modify-ns", "");
        jobs::ColumnRules rules{action->spec, {}, {}};
        auto out = f.run(action, std::make_unique<jobs::FileSource>(csv.string(), false, rules),
                         f.settings(), 40s, "set-ns");
        fs::remove(csv);
        check_complete_reports(out, ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto id = ids[i];
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            const auto c = f.counter(id, "domain.modify-ns");
            if (i < 2) {
                CHECK(outcome_of(r) == "skipped");
                CHECK(message_of(r).starts_with("name servers already "));
                CHECK(c.received == 0);
            } else {
                CHECK(outcome_of(r) == "ok");
                CHECK(c.applied == 1);
                CHECK(f.order(id).name_servers == wanted[id]);  // as the row listed them
            }
        }
        // Again, on another ledger: every order now has its row's set, so nothing is sent.
        const fs::path csv2 = temp_file(f, "ns2.csv");
        {
            std::ofstream out(csv2);
            out << "order-id,ns\n";
            for (auto id : ids) {
                out << id << ",";
                const auto& ns = wanted[id];
                for (std::size_t k = 0; k < ns.size(); ++k) out << (k ? ";" : "") << ns[k];
                out << "\n";
            }
        }
        f.state_folder = "state-2";
        auto second = f.run(f.action("domain.modify-ns", ""),
                            std::make_unique<jobs::FileSource>(csv2.string(), false, rules),
                            f.settings(), 40s, "set-ns-2");
        fs::remove(csv2);
        CHECK(second.count("skipped") == ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            CHECK(f.counter(ids[i], "domain.modify-ns").received == (i < 2 ? 0u : 1u));
    }

    TEST_CASE("theft protection on and off; skipped where it already is so") {
        RunFixture f(domain_options());
        // Other orders for each value: the cross-run guard would skip an order whose theft
        // protection a run of the same action set within repeat-guard.
        const auto on = f.own_orders(
            [](const sandbox::Order& o) { return changeable(o) && o.theft_protection; }, 4);
        const auto off = f.own_orders(
            [](const sandbox::Order& o) { return changeable(o) && !o.theft_protection; }, 4);
        REQUIRE(on.size() == 4);
        REQUIRE(off.size() == 4);
        for (bool enabled : {true, false}) {
            CAPTURE(enabled);
            const std::string sent_as =
                enabled ? "domain.enable-theft-protection" : "domain.disable-theft-protection";
            const std::size_t half = enabled ? 0 : 2;
            const std::vector<std::uint64_t> already{(enabled ? on : off)[half],
                                                     (enabled ? on : off)[half + 1]};
            const std::vector<std::uint64_t> changed{(enabled ? off : on)[half],
                                                     (enabled ? off : on)[half + 1]};
            std::vector<std::uint64_t> ids = already;
            ids.insert(ids.end(), changed.begin(), changed.end());
            auto out = f.run(f.action("domain.theft-protection", "", {{"enabled", enabled}}),
                             std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s,
                             enabled ? "lock" : "unlock");
            check_complete_reports(out, ids.size());
            for (auto id : already) {
                CAPTURE(json::serialize(out.of(id)));
                CHECK(outcome_of(out.of(id)) == "skipped");
                CHECK(message_of(out.of(id)) ==
                      std::string("theft protection already ") + (enabled ? "on" : "off"));
                CHECK(f.counter(id, "domain.enable-theft-protection").received == 0);
                CHECK(f.counter(id, "domain.disable-theft-protection").received == 0);
            }
            for (auto id : changed) {
                CAPTURE(json::serialize(out.of(id)));
                CHECK(outcome_of(out.of(id)) == "ok");
                CHECK(f.counter(id, sent_as).received == 1);
                CHECK(f.counter(id, sent_as).applied == 1);
            }
            for (auto id : ids) CHECK(f.order(id).theft_protection == enabled);
        }
    }

    TEST_CASE("privacy: refused where the registry does not allow it, nothing sent there") {
        RunFixture f(domain_options());
        const auto allowed = f.own_orders(
            [](const sandbox::Order& o) {
                return changeable(o) && o.privacy_allowed && !o.privacy;
            },
            2);
        const auto already =
            f.own_orders([](const sandbox::Order& o) { return changeable(o) && o.privacy; }, 1);
        const auto barred = f.own_orders(
            [](const sandbox::Order& o) { return changeable(o) && !o.privacy_allowed; }, 2);
        REQUIRE(allowed.size() == 2);
        REQUIRE(already.size() == 1);
        REQUIRE(barred.size() == 2);
        std::vector<std::uint64_t> ids = allowed;
        ids.insert(ids.end(), already.begin(), already.end());
        ids.insert(ids.end(), barred.begin(), barred.end());
        auto out = f.run_ids(
            f.action("domain.privacy", "",
                     {{"protect-privacy", true}, {"reason", std::string("customer asked")}}),
            ids, f.settings());
        check_complete_reports(out, ids.size());
        for (auto id : allowed) {
            CAPTURE(json::serialize(out.of(id)));
            CHECK(outcome_of(out.of(id)) == "ok");
            CHECK(f.counter(id, "domain.privacy").applied == 1);
            CHECK(f.order(id).privacy);
        }
        for (auto id : already) {
            CHECK(outcome_of(out.of(id)) == "skipped");
            CHECK(message_of(out.of(id)) == "privacy protection already on");
            CHECK(f.counter(id, "domain.privacy").received == 0);
        }
        for (auto id : barred) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(outcome_of(r) == "api_error");
            CHECK(message_of(r) ==
                  "privacy protection is not allowed for this domain (privacyprotectedallowed "
                  "false)");
            CHECK(f.counter(id, "domain.privacy").received == 0);
            CHECK_FALSE(f.order(id).privacy);
        }
        CHECK(out.report.failed == barred.size());
        CHECK(out.report.exit != engine::ExitCode::ok);
    }
}

}  // namespace domain_changes_test
