// The rules of each built-in change file (jobs/actions/*.toml), through the public API the
// order flow reads: preflight's verdict, the state evidence, the fences and the plan's line.
// The details are shaped like the sandbox's replies (sandbox/api/api_domains.cpp).

#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/order/preflight.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace builtin_rules_test {

using namespace rcbatch::jobs;
namespace json = boost::json;

namespace {

constexpr std::int64_t day = 86400;
constexpr std::int64_t dec20 = 1797724800;  // 2026-12-20T00:00:00Z
constexpr std::int64_t now = dec20 - 10 * day;
const std::chrono::seconds thirty_days{30 * day};

const ActionSpec& action(std::string_view name) {
    const ActionSpec* spec = find_action(name);
    REQUIRE(spec != nullptr);
    return *spec;
}

json::object backup(const char* status, std::int64_t endtime) {
    return {{"orderid", "3001"},       {"description", "backup-us-3001"},
            {"currentstatus", status}, {"endtime", std::to_string(endtime)},
            {"planid", "1723"},        {"storagesizegb", "50"}};
}

// A domain order's details: Active, expiring on dec20, two name servers, no theft lock, no
// privacy (allowed).
json::object domain(const char* status = "Active") {
    json::array orderstatus;
    if (std::string_view(status) == "Active") orderstatus.emplace_back("resellerlock");
    return {{"orderid", "5001"},
            {"entityid", "5001"},
            {"domainname", "example.in"},
            {"description", "example.in"},
            {"currentstatus", status},
            {"productkey", "dotin"},
            {"endtime", std::to_string(dec20)},
            {"creationtime", "1640995200"},
            {"customerid", "777"},
            {"autorenew", "false"},
            {"orderstatus", std::move(orderstatus)},
            {"ns1", "ns1.example.net"},
            {"ns2", "ns2.example.net"},
            {"noOfNameServers", "2"},
            {"isprivacyprotected", "false"},
            {"privacyprotectedallowed", "true"},
            {"domainstatus", json::array{}},
            {"raaVerificationStatus", "Verified"}};
}

OrderState state(const char* status, std::int64_t endtime) {
    return {status, std::to_string(endtime)};
}

CallParam param(std::string name, ParamValue value) { return {std::move(name), std::move(value)}; }

std::vector<CallParam> backup_renew_params(std::int64_t months) {
    return {param("months", months), param("invoice-option", std::string("NoInvoice")),
            param("auto-renew", false)};
}

std::vector<CallParam> domain_renew_params(std::int64_t years) {
    return {param("years", years), param("invoice-option", std::string("NoInvoice")),
            param("auto-renew", false)};
}

std::vector<CallParam> ns_params(std::vector<std::string> servers) {
    return {param("ns", std::move(servers))};
}

bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("built-in rules") {
    TEST_CASE("backup.renew: Active only, the renew window, end time evidence, the plan") {
        const ActionSpec& renew = action("backup.renew");
        const ActionBehaviour& b = behaviour_of(renew);
        const auto params = backup_renew_params(12);
        PreflightOptions o;

        for (const char* status : {"InActive", "Suspended", "Pending Delete Restorable"}) {
            CAPTURE(status);
            const PreflightVerdict v = judge(renew, "3001", backup(status, dec20), o, now, params);
            CHECK_FALSE(v.proceed);
            CHECK_FALSE(v.refused);
            CHECK(v.reason == std::string("order is ") + status);
            CHECK(v.state.status == status);
        }
        json::object no_status = backup("Active", dec20);
        no_status.erase("currentstatus");
        CHECK(judge(renew, "3001", no_status, o, now, params).reason ==
              "order is of unknown status");

        // Without renew-if-expires-within, any Active order is renewed, even with no end time.
        CHECK(judge(renew, "3001", backup("Active", dec20 + 400 * day), o, now, params).proceed);
        json::object no_end = backup("Active", dec20);
        no_end.erase("endtime");
        CHECK(judge(renew, "3001", no_end, o, now, params).proceed);

        o.renew_if_expires_within = thirty_days;
        const PreflightVerdict within =
            judge(renew, "3001", backup("Active", dec20), o, now, params);
        CHECK(within.proceed);
        CHECK(within.state.endtime == std::to_string(dec20));
        CHECK(judge(renew, "3001", backup("Active", now + 30 * day), o, now, params).proceed);
        const PreflightVerdict later =
            judge(renew, "3001", backup("Active", dec20), o, dec20 - 40 * day, params);
        CHECK_FALSE(later.proceed);
        CHECK(later.reason == "ends 2026-12-20, not within renew-if-expires-within");
        const PreflightVerdict missing = judge(renew, "3001", no_end, o, now, params);
        CHECK_FALSE(missing.proceed);
        CHECK(missing.reason == "no end time in the order's details");

        REQUIRE(b.state_evidence);
        const StateEvidence moved = b.state_evidence(
            state("Active", dec20), state("Active", add_months(dec20, 12)), params);
        CHECK(moved.applied == Applied::yes);
        CHECK(moved.evidence == "end time moved 2026-12-20 -> 2027-12-20");
        const StateEvidence same =
            b.state_evidence(state("Active", dec20), state("Active", dec20), params);
        CHECK(same.applied == Applied::no);
        CHECK(same.evidence == "end time unchanged");
        const StateEvidence back =
            b.state_evidence(state("Active", dec20), state("Active", dec20 - 30 * day), params);
        CHECK(back.applied == Applied::cannot_tell);
        CHECK(back.evidence == "end time moved back 2026-12-20 -> 2026-11-20");
        CHECK(b.state_evidence(state("Active", dec20), OrderState{"Active", ""}, params).applied ==
              Applied::cannot_tell);

        REQUIRE(b.plan_text);
        const OrderState read = b.read_state(backup("Active", dec20), o);
        CHECK(b.plan_text(params, read) == "renew 12 months: endtime 2026-12-20 -> 2027-12-20");
        CHECK(b.plan_text(backup_renew_params(1), read) ==
              "renew 1 month: endtime 2026-12-20 -> 2027-01-20");
        CHECK(b.plan_text(params, std::nullopt) == "renew 12 months");

        CHECK(renew.costs_money);
        CHECK(b.fences.empty());
        CHECK_FALSE(b.idempotent);
        CHECK(b.without_evidence == WithoutEvidence::reconcile);
        CHECK(b.log_types == std::vector<std::string_view>{"Renew"});
        CHECK(b.done_verb == "renewed");
    }

    TEST_CASE("backup.delete: skips what is already Deleted; the order is Deleted after") {
        const ActionSpec& del = action("backup.delete");
        const ActionBehaviour& b = behaviour_of(del);
        PreflightOptions o;

        const PreflightVerdict deleted = judge(del, "3001", backup("Deleted", dec20), o, now);
        CHECK_FALSE(deleted.proceed);
        CHECK(deleted.reason == "already Deleted");
        for (const char* status : {"Active", "Suspended", "InActive"}) {
            CAPTURE(status);
            CHECK(judge(del, "3001", backup(status, dec20), o, now).proceed);
        }

        REQUIRE(b.state_evidence);
        const StateEvidence gone =
            b.state_evidence(state("Active", dec20), state("Deleted", dec20), {});
        CHECK(gone.applied == Applied::yes);
        CHECK(gone.evidence == "the order is Deleted");
        const StateEvidence still =
            b.state_evidence(state("Active", dec20), state("Active", dec20), {});
        CHECK(still.applied == Applied::no);
        CHECK(still.evidence == "the order is still Active");

        CHECK(b.plan_text({}, std::nullopt) == "delete");
        CHECK(b.log_types == std::vector<std::string_view>{"Delete"});
        CHECK_FALSE(del.costs_money);
        CHECK(b.fences.empty());
    }

    TEST_CASE("backup.install-agent: the plan names the hosting order; only the log shows it") {
        const ActionSpec& install = action("backup.install-agent");
        const ActionBehaviour& b = behaviour_of(install);
        PreflightOptions o;

        const std::vector<CallParam> params{param("hosting-order-id", std::int64_t{12345})};
        CHECK(b.plan_text(params, b.read_state(backup("Active", dec20), o)) ==
              "install the backup agent on hosting order 12345");
        CHECK(b.plan_text({}, std::nullopt) == "install the backup agent on hosting order ?");

        const PreflightVerdict suspended =
            judge(install, "3001", backup("Suspended", dec20), o, now, params);
        CHECK_FALSE(suspended.proceed);
        CHECK(suspended.reason == "order is Suspended");
        CHECK(judge(install, "3001", backup("Active", dec20), o, now, params).proceed);

        CHECK_FALSE(b.state_evidence);  // the state cannot show an agent
        CHECK(b.log_types == std::vector<std::string_view>{"InstallAgent"});
        CHECK(b.without_evidence == WithoutEvidence::reconcile);
        CHECK(b.done_verb == "had the agent installed");
    }

    TEST_CASE("nixi.resend: the reasons show the profile's fields and the min-interval") {
        const ActionSpec& resend = action("nixi.resend");
        const ActionBehaviour& b = behaviour_of(resend);
        json::object pending = domain();
        pending["emailVerificationStatus"] = "Pending";
        pending["eKYCVerificationStatus"] = "Pending";

        // |name shows the field the profile names.
        PreflightOptions renamed;
        renamed.email_field = "emailStatus";
        renamed.ekyc_field = "kycStatus";
        const PreflightVerdict plain = judge(resend, "5001", domain(), renamed, now);
        CHECK_FALSE(plain.proceed);
        CHECK(plain.reason == "no verification status (emailStatus, kycStatus): not a NIXI domain");

        PreflightOptions o;
        json::object verified = domain();
        verified["emailVerificationStatus"] = "Verified";
        verified["eKYCVerificationStatus"] = "Verified";
        CHECK(judge(resend, "5001", verified, o, now).reason ==
              "nothing pending (e-mail Verified, eKYC Verified)");

        // The rule gives {since} and {min-interval}.
        o.min_interval = std::chrono::hours(24);
        o.last_resent = std::make_shared<const std::map<std::string, std::int64_t>>(
            std::map<std::string, std::int64_t>{{"5001", now - 42 * 60}});
        const PreflightVerdict recent = judge(resend, "5001", pending, o, now);
        CHECK_FALSE(recent.proceed);
        CHECK(recent.reason == "resent 42 min ago (min-interval 24 h)");
        // A resend recorded, but no min-interval: nothing to wait for.
        PreflightOptions no_interval;
        no_interval.last_resent = o.last_resent;
        CHECK(judge(resend, "5001", pending, no_interval, now).proceed);

        CHECK_FALSE(b.state_evidence);
        CHECK(b.log_types.empty());
        CHECK(b.without_evidence == WithoutEvidence::repeat_or_ask);
        CHECK(std::find(resend.job_keys.begin(), resend.job_keys.end(), "min-interval") !=
              resend.job_keys.end());
        CHECK(std::find(resend.job_keys.begin(), resend.job_keys.end(), "repeat-resend") !=
              resend.job_keys.end());
        CHECK(b.plan_text({}, std::nullopt) == "resend the verification e-mail");
    }

    TEST_CASE("domain.renew: fenced by its expiry, the renew window, expiry evidence, the plan") {
        const ActionSpec& renew = action("domain.renew");
        const ActionBehaviour& b = behaviour_of(renew);
        const auto params = domain_renew_params(1);
        PreflightOptions o;

        CHECK(b.fences ==
              std::vector<std::pair<std::string, std::string>>{{"exp-date", "endtime"}});
        CHECK(std::none_of(renew.params.begin(), renew.params.end(),
                           [](const ParamSpec& p) { return p.name == "exp-date"; }));
        CHECK(renew.costs_money);
        CHECK_FALSE(b.idempotent);

        CHECK(judge(renew, "5001", domain(), o, now, params).proceed);
        const PreflightVerdict deleted = judge(renew, "5001", domain("Deleted"), o, now, params);
        CHECK_FALSE(deleted.proceed);
        CHECK(deleted.reason == "order is Deleted");

        o.renew_if_expires_within = thirty_days;
        CHECK(judge(renew, "5001", domain(), o, now, params).proceed);
        const PreflightVerdict later = judge(renew, "5001", domain(), o, dec20 - 40 * day, params);
        CHECK_FALSE(later.proceed);
        CHECK(later.reason == "expires 2026-12-20, not within renew-if-expires-within");
        json::object no_end = domain();
        no_end.erase("endtime");
        const PreflightVerdict missing = judge(renew, "5001", no_end, o, now, params);
        CHECK_FALSE(missing.proceed);
        CHECK(missing.reason == "no expiry in the order's details");

        REQUIRE(b.state_evidence);
        const StateEvidence moved = b.state_evidence(
            state("Active", dec20), state("Active", add_months(dec20, 12)), params);
        CHECK(moved.applied == Applied::yes);
        CHECK(moved.evidence == "expiry moved 2026-12-20 -> 2027-12-20");
        const StateEvidence same =
            b.state_evidence(state("Active", dec20), state("Active", dec20), params);
        CHECK(same.applied == Applied::no);
        CHECK(same.evidence == "expiry unchanged");

        const OrderState read = b.read_state(domain(), o);
        CHECK(read.endtime == std::to_string(dec20));
        CHECK(b.plan_text(params, read) == "renew 1 year: expiry 2026-12-20 -> 2027-12-20");
        CHECK(b.plan_text(domain_renew_params(2), read) ==
              "renew 2 years: expiry 2026-12-20 -> 2028-12-20");
        CHECK(b.plan_text(params, std::nullopt) == "renew 1 year");
        CHECK(b.log_types == std::vector<std::string_view>{"RenewDomain"});
    }

    TEST_CASE("domain.modify-ns: the same set is skipped; the state read again shows it") {
        const ActionSpec& ns = action("domain.modify-ns");
        const ActionBehaviour& b = behaviour_of(ns);
        PreflightOptions o;

        // The same servers in another order and case: nothing to change.
        const auto same = ns_params({"NS2.Example.NET", "ns1.example.net"});
        const PreflightVerdict skip = judge(ns, "5001", domain(), o, now, same);
        CHECK_FALSE(skip.proceed);
        CHECK_FALSE(skip.refused);
        CHECK(skip.reason == "name servers already NS2.Example.NET, ns1.example.net");

        const auto other = ns_params({"ns1.other.net", "ns2.other.net"});
        CHECK(judge(ns, "5001", domain(), o, now, other).proceed);
        CHECK(judge(ns, "5001", domain(), o, now, ns_params({"ns1.example.net"})).proceed);
        CHECK(judge(ns, "5001", domain("InActive"), o, now, other).reason == "order is InActive");

        // Three servers: a set of two is a change, the three in any order are not.
        json::object three = domain();
        three["ns3"] = "ns3.example.net";
        three["noOfNameServers"] = "3";
        CHECK(judge(ns, "5001", three, o, now, ns_params({"ns1.example.net", "ns2.example.net"}))
                  .proceed);
        CHECK_FALSE(judge(ns, "5001", three, o, now,
                          ns_params({"ns3.example.net", "ns1.example.net", "ns2.example.net"}))
                        .proceed);
        CHECK(b.read_state(three, o).fields.at("ns*") ==
              "ns1.example.net, ns2.example.net, ns3.example.net");

        REQUIRE(b.state_evidence);
        const OrderState before = b.read_state(domain(), o);
        CHECK(before.fields.at("ns*") == "ns1.example.net, ns2.example.net");
        json::object changed = domain();
        changed["ns1"] = "ns1.other.net";
        changed["ns2"] = "ns2.other.net";
        const OrderState after = b.read_state(changed, o);
        const StateEvidence yes = b.state_evidence(before, after, other);
        CHECK(yes.applied == Applied::yes);
        CHECK(yes.evidence == "name servers now ns1.other.net, ns2.other.net");
        const StateEvidence no = b.state_evidence(before, before, other);
        CHECK(no.applied == Applied::no);
        CHECK(no.evidence == "name servers still ns1.example.net, ns2.example.net");
        CHECK(b.state_evidence(before, after, {}).applied == Applied::cannot_tell);

        CHECK(b.plan_text(other, before) ==
              "name servers ns1.example.net, ns2.example.net -> ns1.other.net, ns2.other.net");
        CHECK(b.plan_text(other, std::nullopt) == "name servers -> ns1.other.net, ns2.other.net");
        CHECK(b.idempotent);
        CHECK(b.log_types == std::vector<std::string_view>{"ModNS"});
        CHECK_FALSE(ns.costs_money);
    }

    TEST_CASE("domain.theft-protection: transferlock in orderstatus, and the path it picks") {
        const ActionSpec& theft = action("domain.theft-protection");
        const ActionBehaviour& b = behaviour_of(theft);
        PreflightOptions o;
        const std::vector<CallParam> on{param("enabled", true)};
        const std::vector<CallParam> off{param("enabled", false)};

        json::object locked = domain();
        locked["orderstatus"] = json::array{"resellerlock", "transferlock"};
        const PreflightVerdict already = judge(theft, "5001", locked, o, now, on);
        CHECK_FALSE(already.proceed);
        CHECK(already.reason == "theft protection already on");
        CHECK(judge(theft, "5001", locked, o, now, off).proceed);

        const json::object unlocked = domain();
        const PreflightVerdict already_off = judge(theft, "5001", unlocked, o, now, off);
        CHECK_FALSE(already_off.proceed);
        CHECK(already_off.reason == "theft protection already off");
        CHECK(judge(theft, "5001", unlocked, o, now, on).proceed);

        REQUIRE(b.state_evidence);
        const OrderState before = b.read_state(unlocked, o);
        const OrderState after = b.read_state(locked, o);
        CHECK(after.fields.at("orderstatus[transferlock]") == "true");
        CHECK(b.state_evidence(before, after, on).applied == Applied::yes);
        CHECK(b.state_evidence(before, before, on).applied == Applied::no);
        CHECK(b.plan_text(off, before) == "theft protection off");
        CHECK(b.idempotent);

        CHECK(theft.path == "/api/domains/{enabled}-theft-protection.json");
        CallParams call;
        call.path = std::string(theft.path);
        call.auth_userid = "123456";
        call.api_key = "k3y";
        call.order_id = "5001";
        call.params = off;
        const rcbatch::engine::HttpRequest disable = build_request(theft, call);
        CHECK(disable.method == HttpMethod::post);
        CHECK(has(disable.target, "/api/domains/disable-theft-protection.json"));
        CHECK_FALSE(has(disable.target, "{enabled}"));
        CHECK(has(disable.body, "order-id=5001"));
        CHECK_FALSE(has(disable.body, "enabled"));
        CHECK_FALSE(has(disable.target, "enabled"));
        call.params = on;
        CHECK(has(build_request(theft, call).target, "/api/domains/enable-theft-protection.json"));
    }

    TEST_CASE("domain.privacy: refused where not allowed, skipped when already so") {
        const ActionSpec& privacy = action("domain.privacy");
        const ActionBehaviour& b = behaviour_of(privacy);
        PreflightOptions o;
        const std::vector<CallParam> protect{param("protect-privacy", true),
                                             param("reason", std::string("customer asked"))};
        const std::vector<CallParam> expose{param("protect-privacy", false),
                                            param("reason", std::string("customer asked"))};

        json::object not_allowed = domain();
        not_allowed["privacyprotectedallowed"] = "false";
        const PreflightVerdict refused = judge(privacy, "5001", not_allowed, o, now, protect);
        CHECK_FALSE(refused.proceed);
        CHECK(refused.refused);
        CHECK(has(refused.reason, "privacy protection is not allowed for this domain"));
        // Nothing to change: a skip, not a failure, even where privacy is not allowed.
        const PreflightVerdict nothing = judge(privacy, "5001", not_allowed, o, now, expose);
        CHECK_FALSE(nothing.proceed);
        CHECK_FALSE(nothing.refused);
        CHECK(nothing.reason == "privacy protection already off");

        json::object protected_ = domain();
        protected_["isprivacyprotected"] = "true";
        const PreflightVerdict already = judge(privacy, "5001", protected_, o, now, protect);
        CHECK_FALSE(already.proceed);
        CHECK_FALSE(already.refused);
        CHECK(already.reason == "privacy protection already on");
        CHECK(judge(privacy, "5001", protected_, o, now, expose).proceed);
        CHECK(judge(privacy, "5001", domain(), o, now, protect).proceed);

        REQUIRE(b.state_evidence);
        const StateEvidence now_on =
            b.state_evidence(b.read_state(domain(), o), b.read_state(protected_, o), protect);
        CHECK(now_on.applied == Applied::yes);
        CHECK(now_on.evidence == "privacy protection now true");
        CHECK(b.state_evidence(b.read_state(domain(), o), b.read_state(domain(), o), protect)
                  .applied == Applied::no);
        CHECK(b.plan_text(protect, std::nullopt) == "privacy protection on");
        CHECK(b.idempotent);
    }
}

}  // namespace builtin_rules_test
