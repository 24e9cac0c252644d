// Every action of the registry, run in-process by run_job against the sandbox: each ends ok
// with the reply's fields in the report, in both regions for backup.*, and the sandbox's
// state shows the change (exactly once).

#include "sandbox/api/api.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

#include <set>

namespace actions_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using engine::StopReason;

namespace {

using rcbatch::test::renew_params;

// Every record ok, one per target, `calls` requests each (no retries), no key anywhere.
void check_all_ok(RunFixture& f, const RunOutput& out, std::size_t targets, int calls = 1) {
    CAPTURE(out.printed);
    CHECK(out.report.stop == StopReason::none);
    CHECK(out.report.exit == ExitCode::ok);
    check_complete_reports(out, targets);
    CHECK(out.count("ok") == targets);
    for (const auto& r : out.records) {
        CAPTURE(json::serialize(r));
        CHECK(r.at("attempts").to_number<int>() == calls);
        CHECK(r.at("http_status").to_number<int>() == 200);
    }
    check_no_key(out, f.sb.api_key());
}

std::string field(const json::object& record, std::string_view name) {
    const auto* v = record.at("fields").as_object().if_contains(name);
    return v ? text_of(*v) : std::string("<absent>");
}

}  // namespace

TEST_SUITE("run: actions") {
    TEST_CASE(
        "backup actions end ok in both regions with their fields, and change the sandbox once") {
        RunFixture f;
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            auto ids = f.own_orders(active_backup(region), 12);
            REQUIRE(ids.size() == 12);
            const std::vector<std::uint64_t> read(ids.begin(), ids.begin() + 4);
            const std::vector<std::uint64_t> renew(ids.begin() + 4, ids.begin() + 8);
            const std::vector<std::uint64_t> remove(ids.begin() + 8, ids.begin() + 10);
            const std::vector<std::uint64_t> login(ids.begin() + 10, ids.begin() + 12);

            auto details = f.run_ids(f.action("backup.details", region), read, f.settings());
            check_all_ok(f, details, read.size());
            for (auto id : read) {
                const auto& r = details.at(std::to_string(id));
                const sandbox::Order o = f.order(id);
                CHECK(text_of(r.at("order")) == std::to_string(id));
                CHECK(text_of(r.at("action")) == "backup.details");
                CHECK(field(r, "currentstatus") == "Active");
                CHECK(field(r, "description") == o.description);
                CHECK(field(r, "endtime") == std::to_string(o.end_time));
                CHECK(field(r, "planid") == o.plan_id);
                CHECK(field(r, "endtime_iso").ends_with("Z"));
            }

            std::map<std::uint64_t, std::int64_t> end_before;
            for (auto id : renew) end_before[id] = f.order(id).end_time;
            auto renewed =
                f.run_ids(f.action("backup.renew", region, renew_params()), renew, f.settings());
            check_all_ok(f, renewed, renew.size(), 2);  // preflight reads the order first
            for (auto id : renew) {
                CAPTURE(id);
                const auto& r = renewed.at(std::to_string(id));
                CHECK(field(r, "actionstatus") == "Success");
                CHECK(field(r, "eaqid") != "<absent>");
                CHECK(field(r, "status") == "Active");  // what preflight saw
                CHECK(field(r, "endtime_before") == std::to_string(end_before[id]));
                const sandbox::Order o = f.order(id);
                CHECK(o.end_time == sandbox::add_months(end_before[id], 12));
                CHECK(o.renewals == 1);
                const auto c = f.counter(id, "backup.renew");
                CHECK(c.received == 1);
                CHECK(c.applied == 1);
            }

            auto deleted = f.run_ids(f.action("backup.delete", region), remove, f.settings());
            check_all_ok(f, deleted, remove.size(), 2);
            for (auto id : remove) {
                CHECK(f.order(id).status == "Deleted");
                CHECK(f.counter(id, "backup.delete").applied == 1);
                CHECK(field(deleted.at(std::to_string(id)), "actionstatus") == "Success");
            }

            auto logins = f.run_ids(f.action("backup.auto-login", region), login, f.settings());
            check_all_ok(f, logins, login.size());
            for (auto id : login)  // the user asked for this secret: it is in the report
                CHECK(field(logins.at(std::to_string(id)), "autoLoginUrl")
                          .starts_with("https://backup-" + region +
                                       ".sandbox.invalid/autologin?token="));

            // install-agent: the hosting order id comes from the order's own details.
            auto linked = f.own_orders(
                [&](const sandbox::Order& o) {
                    return active_backup(region)(o) && o.hosting_order_id != 0;
                },
                1);
            REQUIRE(linked.size() == 1);
            const auto hosting = f.order(linked[0]).hosting_order_id;
            auto installed =
                f.run_ids(f.action("backup.install-agent", region,
                                   {{"hosting-order-id", static_cast<std::int64_t>(hosting)}}),
                          linked, f.settings());
            check_all_ok(f, installed, 1, 2);
            CHECK(field(installed.at(std::to_string(linked[0])), "message")
                      .find(std::to_string(hosting)) != std::string::npos);
            CHECK(f.order(linked[0]).agent_installs == 1);
            CHECK(f.counter(linked[0], "backup.install-agent").applied == 1);
        }
    }

    TEST_CASE("domain.details by order id and by domain name") {
        RunFixture f;
        auto ids = f.own_orders(
            [](const sandbox::Order& o) { return o.kind == sandbox::OrderKind::domain; }, 6);
        REQUIRE(ids.size() == 6);
        auto by_id = f.run_ids(f.action("domain.details"), ids, f.settings());
        check_all_ok(f, by_id, ids.size());
        std::vector<std::string> names;
        for (auto id : ids) {
            const sandbox::Order o = f.order(id);
            names.push_back(o.description);
            const auto& r = by_id.at(std::to_string(id));
            CHECK(field(r, "domainname") == o.description);
            CHECK(field(r, "currentstatus") == o.status);
        }

        auto by_name = f.run_names(f.action("domain.details"), names, f.settings());
        CHECK(by_name.report.exit == ExitCode::ok);
        check_complete_reports(by_name, names.size());
        CHECK(by_name.count("ok") == names.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto& r = by_name.at(names[i]);
            CHECK(text_of(r.at("order")) ==
                  std::to_string(ids[i]));  // resolved through orderid.json
            CHECK(field(r, "domainname") == names[i]);
            CHECK(r.at("attempts").to_number<int>() == 2);  // the lookup and the details
        }
        check_no_key(by_name, f.sb.api_key());
    }

    TEST_CASE("nixi.resend for domains with a pending verification, by id and by name") {
        RunFixture f;
        auto pending = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::domain && o.status == "Active" &&
                   !o.email_verification.empty() &&
                   (o.email_verification == "Pending" || o.ekyc_verification == "Pending") &&
                   o.ekyc_verification != "Pending Partner Confirmation";
        });
        REQUIRE(pending.size() >= 4);
        const std::vector<std::uint64_t> by_id_ids(pending.begin(), pending.begin() + 2);
        const std::vector<std::uint64_t> by_name_ids(pending.begin() + 2, pending.begin() + 4);

        auto by_id = f.run_ids(f.action("nixi.resend"), by_id_ids, f.settings());
        check_all_ok(f, by_id, 2, 2);  // domain.details (preflight), then the resend
        std::vector<std::string> names;
        for (auto id : by_name_ids) names.push_back(f.order(id).description);
        auto by_name = f.run_names(f.action("nixi.resend"), names, f.settings());
        CHECK(by_name.report.exit == ExitCode::ok);
        CHECK(by_name.count("ok") == 2);
        for (const auto& name : names) CHECK(by_name.at(name).at("attempts").to_number<int>() == 3);
        check_no_key(by_name, f.sb.api_key());

        for (auto id : pending) {
            const bool sent =
                id == pending[0] || id == pending[1] || id == pending[2] || id == pending[3];
            CHECK(f.order(id).resends.size() == (sent ? 1u : 0u));
            if (sent) CHECK(f.counter(id, "nixi.resend").applied == 1);
        }
        CHECK(field(by_id.at(std::to_string(by_id_ids[0])), "message") ==
              "Verification email has been sent to the Registrant contact");

        // Preflight keeps a resend from a domain with nothing pending: skipped, never sent.
        auto verified = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::domain && o.status == "Active" &&
                       o.email_verification == "Verified" && o.ekyc_verification == "Verified";
            },
            1);
        REQUIRE(verified.size() == 1);
        auto skipped = f.run_ids(f.action("nixi.resend"), verified, f.settings());
        const auto& r = skipped.at(std::to_string(verified[0]));
        CHECK(text_of(r.at("outcome")) == "skipped");
        CHECK(text_of(r.at("message")).find("nothing pending") != std::string::npos);
        CHECK(skipped.report.exit == ExitCode::ok);
        CHECK(f.counter(verified[0], "nixi.resend").received == 0);
        CHECK(f.order(verified[0]).resends.empty());
    }

    TEST_CASE("plan.details lists every Acronis plan, one record each") {
        RunFixture f;
        auto out = f.run_listing(f.action("plan.details"), f.settings());
        const auto plans = f.sb.call([](sandbox::Server& s) { return s.service().data().plans; });
        REQUIRE(!plans.empty());
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.report.mismatch.empty());
        check_complete_reports(out, plans.size());
        CHECK(out.count("ok") == plans.size());
        for (const auto& p : plans) {
            const auto& r = out.at(p.product_key + "/" + p.id);
            CHECK(field(r, "plan_name") == p.name);
            CHECK(field(r, "plan_status") == "Active");
        }
        check_no_key(out, f.sb.api_key());
    }

    TEST_CASE(
        "backup.search and domain.search page through more than 500 orders and get them all") {
        sandbox::Options options = run_options();
        options.sizes.backups_per_region = 1234;
        options.sizes.domains = 620;
        RunFixture f(options);
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            auto own = f.own_orders([&](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::backup && o.region == region;
            });
            REQUIRE(own.size() > 1000);  // three pages of 500
            const auto pages_before = f.counter(0, "backup.search").received;
            auto out = f.run_listing(f.action("backup.search", region), f.settings());
            CHECK(out.report.exit == ExitCode::ok);
            CHECK(out.report.mismatch.empty());
            check_complete_reports(out, own.size());
            CHECK(out.count("ok") == own.size());
            std::set<std::string> listed;
            for (const auto& r : out.records) listed.insert(text_of(r.at("order")));
            std::set<std::string> expected;
            for (auto id : own) expected.insert(std::to_string(id));
            CHECK(listed == expected);
            CHECK(f.counter(0, "backup.search").received - pages_before ==
                  (own.size() + 499) / 500);
            check_no_key(out, f.sb.api_key());
        }

        auto domains = f.own_orders(
            [](const sandbox::Order& o) { return o.kind == sandbox::OrderKind::domain; });
        REQUIRE(domains.size() > 500);
        auto out = f.run_listing(f.action("domain.search"), f.settings());
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.report.mismatch.empty());
        check_complete_reports(out, domains.size());
        CHECK(out.count("ok") == domains.size());
        const auto& first = out.at(std::to_string(domains.front()));
        CHECK(field(first, "entity.description") == f.order(domains.front()).description);
        CHECK(f.counter(0, "domain.search").received == (domains.size() + 499) / 500);

        // A filter goes to the API: only Active orders of the region.
        auto filtered = f.run_listing(
            f.action("backup.search", "us", {{"status", std::vector<std::string>{"Active"}}}),
            f.settings());
        CHECK(filtered.records.size() == f.own_orders([](const sandbox::Order& o) {
                                              return o.kind == sandbox::OrderKind::backup &&
                                                     o.region == "us" && o.status == "Active";
                                          }).size());
        CHECK(filtered.count("ok") == filtered.records.size());
    }
}

}  // namespace actions_test
