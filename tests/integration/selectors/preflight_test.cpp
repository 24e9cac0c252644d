// Every preflight skip reason, end to end through run_job against the sandbox: the order is
// read, the record says `skipped` with the reason, and the sandbox's received counter shows
// that no changing request was sent for it, while the orders that need the action get it
// exactly once. A run with preflight off shows the counters do see such requests.

#include "sandbox/api/api.hpp"
#include "tests/integration/selectors/selectors_fixture.hpp"
#include "tests/support/renew_params.hpp"

namespace preflight_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using sandbox::Order;

namespace {

using rcbatch::test::renew_params;

bool own_domain(const Order& o) { return o.kind == sandbox::OrderKind::domain; }
bool nixi(const Order& o) { return own_domain(o) && !o.email_verification.empty(); }

struct Expect {
    std::set<std::uint64_t> ids;
    std::string outcome;
    std::string message;  // exact; empty: not checked
};

// Each group's records have the outcome and message; skipped orders got no `action` request,
// the others exactly one.
void check_groups(SelectorFixture& f, const RunOutput& out, const std::vector<Expect>& groups,
                  std::string_view action) {
    CAPTURE(out.printed);
    std::size_t total = 0;
    for (const auto& g : groups) {
        total += g.ids.size();
        for (auto id : g.ids) {
            CAPTURE(id);
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(r.at("outcome").as_string() == g.outcome);
            if (!g.message.empty()) CHECK(r.at("message").as_string() == g.message);
            const sandbox::Counter c = f.counter(id, action);
            if (g.outcome == "skipped") {
                CHECK(c.received == 0);
                CHECK(c.applied == 0);
            } else {
                CHECK(c.received == 1);
                CHECK(c.applied == (g.outcome == "ok" ? 1u : 0u));
            }
        }
    }
    CHECK(out.records.size() == total);
}

std::vector<std::string> names_of(SelectorFixture& f, const std::vector<Expect>& groups) {
    std::vector<std::string> names;
    for (const auto& g : groups)
        for (auto id : g.ids) names.push_back(f.order(id).description);
    return names;
}

}  // namespace

TEST_SUITE("selectors: preflight") {
    TEST_CASE(
        "nixi.resend skips InActive, Deleted, eKYC with the partner, nothing pending, not NIXI") {
        SelectorFixture f;
        const std::vector<Expect> groups{
            {first(f.own([](const Order& o) { return nixi(o) && o.status == "InActive"; }), 3),
             "skipped", "domain is InActive"},
            {first(f.own([](const Order& o) { return nixi(o) && o.status == "Deleted"; }), 3),
             "skipped", "domain is Deleted"},
            {first(f.own([](const Order& o) {
                 return nixi(o) && o.status == "Active" &&
                        o.ekyc_verification == "Pending Partner Confirmation";
             }),
                   3),
             "skipped", "eKYC Pending Partner Confirmation"},
            {first(f.own([](const Order& o) {
                 return nixi(o) && o.status == "Active" && o.email_verification == "Verified" &&
                        o.ekyc_verification == "Verified";
             }),
                   3),
             "skipped", "nothing pending (e-mail Verified, eKYC Verified)"},
            {first(f.own([](const Order& o) {
                 return own_domain(o) && o.status == "Active" && o.email_verification.empty();
             }),
                   2),
             "skipped",
             "no verification status (emailVerificationStatus, eKYCVerificationStatus): not a NIXI "
             "domain"},
            {first(f.own([](const Order& o) {
                 return nixi(o) && o.status == "Active" &&
                        o.ekyc_verification != "Pending Partner Confirmation" &&
                        (o.email_verification == "Pending" || o.ekyc_verification == "Pending");
             }),
                   4),
             "ok", ""},
        };
        for (const auto& g : groups) REQUIRE_MESSAGE(g.ids.size() >= 2, g.message);

        Job job;
        job.action = f.action("nixi.resend");
        job.source = std::make_unique<jobs::DomainNameSource>(names_of(f, groups));
        RunOutput out = f.run(std::move(job));
        CHECK(out.report.exit == ExitCode::ok);
        check_groups(f, out, groups, "nixi.resend");
        for (const auto& g : groups)
            for (auto id : g.ids)
                CHECK(f.order(id).resends.size() == (g.outcome == "ok" ? 1u : 0u));
        check_no_key(out, f.sb.api_key());

        SUBCASE("control: with preflight off the same domains are sent, and the API answers") {
            Job off;
            off.name = "no-preflight";
            off.action = f.action("nixi.resend", "us", {}, false);
            std::vector<Expect> skipped(groups.begin(), groups.end() - 1);
            off.source = std::make_unique<jobs::DomainNameSource>(names_of(f, skipped));
            RunOutput sent = f.run(std::move(off));
            for (const auto& g : skipped)
                for (auto id : g.ids) CHECK(f.counter(id, "nixi.resend").received == 1);
            const auto inactive = *groups[0].ids.begin();
            CHECK(sent.of(inactive).at("outcome").as_string() == "api_error");
            CHECK(sent.of(inactive).at("message").as_string() == sandbox::msg::resend_inactive);
            // Nothing pending, yet the API sends the e-mail: only the preflight stops that.
            const auto verified = *groups[3].ids.begin();
            CHECK(sent.of(verified).at("outcome").as_string() == "ok");
            CHECK(f.order(verified).resends.size() == 1);
        }
    }

    TEST_CASE("backup.renew skips orders that are not Active; Active ones are renewed once") {
        SelectorFixture f;
        const auto us = [](const Order& o) { return backup_in(o, "us"); };
        const std::vector<Expect> groups{
            {first(f.own([&](const Order& o) { return us(o) && o.status == "InActive"; }), 2),
             "skipped", "order is InActive"},
            {first(f.own([&](const Order& o) { return us(o) && o.status == "Suspended"; }), 2),
             "skipped", "order is Suspended"},
            {first(f.own([&](const Order& o) { return us(o) && o.status == "Deleted"; }), 2),
             "skipped", "order is Deleted"},
            {first(
                 f.own([&](const Order& o) { return us(o) && o.status == "Active" && !o.pending; }),
                 4),
             "ok", ""},
        };
        std::map<std::uint64_t, std::int64_t> end_before;
        std::set<std::uint64_t> all;
        for (const auto& g : groups) {
            REQUIRE(g.ids.size() >= 2);
            for (auto id : g.ids) end_before[id] = f.order(id).end_time, all.insert(id);
        }
        Job job;
        job.action = f.action("backup.renew", "us", renew_params());
        job.source = std::make_unique<jobs::OrderIdSource>(as_ids(all));
        RunOutput out = f.run(std::move(job));
        CHECK(out.report.exit == ExitCode::ok);
        check_groups(f, out, groups, "backup.renew");
        for (const auto& g : groups)
            for (auto id : g.ids) {
                CAPTURE(id);
                const auto& r = out.of(id);
                CHECK(field(r, "endtime_before") == std::to_string(end_before[id]));
                CHECK(
                    f.order(id).end_time ==
                    (g.outcome == "ok" ? sandbox::add_months(end_before[id], 12) : end_before[id]));
            }
    }

    TEST_CASE("renew-if-expires-within: only orders ending inside the window are renewed") {
        SelectorFixture f;
        const auto active = [](const Order& o) {
            return backup_in(o, "asia") && o.status == "Active" && !o.pending;
        };
        const auto near = first(f.own([&](const Order& o) {
            return active(o) && o.end_time <= f.now + 29 * day_seconds;
        }),
                                3);
        const auto far = first(f.own([&](const Order& o) {
            return active(o) && o.end_time >= f.now + 31 * day_seconds;
        }),
                               3);
        REQUIRE(near.size() == 3);
        REQUIRE(far.size() == 3);
        std::vector<Expect> groups{{near, "ok", ""}};
        for (auto id : far)
            groups.push_back({{id},
                              "skipped",
                              "ends " + jobs::date_of(std::to_string(f.order(id).end_time)) +
                                  ", not within renew-if-expires-within"});
        std::set<std::uint64_t> all = near;
        all.insert(far.begin(), far.end());
        Job job;
        job.action = f.action("backup.renew", "asia", renew_params());
        job.action->flow.preflight_options.renew_if_expires_within = std::chrono::hours(24 * 30);
        job.source = std::make_unique<jobs::OrderIdSource>(as_ids(all));
        RunOutput out = f.run(std::move(job));
        CHECK(out.report.exit == ExitCode::ok);
        check_groups(f, out, groups, "backup.renew");
    }

    TEST_CASE("backup.delete skips an order already Deleted; others are deleted once") {
        SelectorFixture f;
        const auto us = [](const Order& o) { return backup_in(o, "us"); };
        const std::vector<Expect> groups{
            {first(f.own([&](const Order& o) { return us(o) && o.status == "Deleted"; }), 3),
             "skipped", "already Deleted"},
            {first(
                 f.own([&](const Order& o) { return us(o) && o.status == "Active" && !o.pending; }),
                 2),
             "ok", ""},
            {first(f.own([&](const Order& o) { return us(o) && o.status == "InActive"; }), 1), "ok",
             ""},
        };
        std::set<std::uint64_t> all;
        for (const auto& g : groups) all.insert(g.ids.begin(), g.ids.end());
        Job job;
        job.action = f.action("backup.delete", "us");
        job.source = std::make_unique<jobs::OrderIdSource>(as_ids(all));
        RunOutput out = f.run(std::move(job));
        CHECK(out.report.exit == ExitCode::ok);
        check_groups(f, out, groups, "backup.delete");
        for (auto id : all) CHECK(f.order(id).status == "Deleted");
    }

    TEST_CASE("backup.install-agent skips orders that are not Active") {
        SelectorFixture f;
        const auto asia = [](const Order& o) { return backup_in(o, "asia"); };
        const std::vector<Expect> groups{
            {first(f.own([&](const Order& o) { return asia(o) && o.status == "InActive"; }), 2),
             "skipped", "order is InActive"},
            {first(f.own([&](const Order& o) { return asia(o) && o.status == "Suspended"; }), 2),
             "skipped", "order is Suspended"},
            {first(f.own([&](const Order& o) { return asia(o) && o.status == "Deleted"; }), 2),
             "skipped", "order is Deleted"},
            {first(f.own([&](const Order& o) {
                 return asia(o) && o.status == "Active" && o.hosting_order_id == 0;
             }),
                   3),
             "ok", ""},
        };
        std::set<std::uint64_t> all;
        for (const auto& g : groups) {
            REQUIRE(g.ids.size() >= 2);
            all.insert(g.ids.begin(), g.ids.end());
        }
        Job job;
        job.action = f.action("backup.install-agent", "asia",
                              {{"hosting-order-id", std::int64_t{45'000'001}}});
        job.source = std::make_unique<jobs::OrderIdSource>(as_ids(all));
        RunOutput out = f.run(std::move(job));
        CHECK(out.report.exit == ExitCode::ok);
        check_groups(f, out, groups, "backup.install-agent");
        for (const auto& g : groups)
            for (auto id : g.ids) CHECK(f.order(id).agent_installs == (g.outcome == "ok" ? 1 : 0));
    }

    TEST_CASE("min-interval = 24h: a second run of the job skips every order the first resent") {
        SelectorFixture f;
        // A search over some of the domains, resendable ones and ones preflight skips anyway.
        const auto resendable = first(f.own([](const Order& o) {
            return nixi(o) && o.status == "Active" &&
                   o.ekyc_verification != "Pending Partner Confirmation" &&
                   (o.email_verification == "Pending" || o.ekyc_verification == "Pending");
        }),
                                      15);
        const auto others = first(f.own([](const Order& o) {
            return nixi(o) &&
                   (o.status != "Active" || o.ekyc_verification == "Pending Partner Confirmation");
        }),
                                  10);
        REQUIRE(resendable.size() == 15);
        REQUIRE(others.size() == 10);
        std::set<std::uint64_t> all = resendable;
        all.insert(others.begin(), others.end());
        jobs::SearchFilter filter;
        filter.order_ids = as_ids(all);
        const auto job_with = [&](const std::string& name) {
            Job job;
            job.name = name;
            job.action = f.action("nixi.resend");
            f.with_min_interval(*job.action, name, std::chrono::hours(24));
            job.search = f.search(filter, jobs::TargetKind::domain_order);
            return job;
        };

        RunOutput first_run = f.run(job_with("resend-daily"));
        CHECK(first_run.report.exit == ExitCode::ok);
        REQUIRE(first_run.records.size() == all.size());
        std::set<std::uint64_t> resent;
        for (const auto& r : first_run.records)
            if (r.at("outcome").as_string() == "ok")
                resent.insert(std::stoull(text_of(r.at("order"))));
        CHECK(resent == resendable);

        RunOutput second_run = f.run(job_with("resend-daily"));
        CAPTURE(second_run.printed);
        CHECK(second_run.report.exit == ExitCode::ok);
        REQUIRE(second_run.records.size() == all.size());
        CHECK(second_run.count("ok") == 0);
        for (auto id : resent) {
            CAPTURE(id);
            const auto& r = second_run.of(id);
            CHECK(r.at("outcome").as_string() == "skipped");
            CHECK(std::string(r.at("message").as_string()).ends_with(" ago (min-interval 24 h)"));
            CHECK(f.counter(id, "nixi.resend").received == 1);
            CHECK(f.order(id).resends.size() == 1);
        }
        for (auto id : others) {
            CAPTURE(id);
            CHECK(second_run.of(id).at("message") == first_run.of(id).at("message"));
            CHECK(f.counter(id, "nixi.resend").received == 0);
        }

        SUBCASE("another job on the same account: the ledger counts its resends too") {
            RunOutput other_job = f.run(job_with("resend-other"));
            CHECK(other_job.count("ok") == 0);
            for (auto id : resendable) CHECK(f.counter(id, "nixi.resend").received == 1);
        }
    }
}

}  // namespace preflight_test
