#include "jobs/order/preflight.hpp"

#include "jobs/actions/registry.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>

#include <doctest/doctest.h>

namespace preflight_test {

using namespace rcbatch::jobs;
namespace json = boost::json;

namespace {
constexpr std::int64_t now = 1'800'000'000;

json::object domain(const char* status, const char* email, const char* ekyc) {
    json::object d{{"currentstatus", status}, {"endtime", "1900000000"}};
    if (email) d["emailVerificationStatus"] = email;
    if (ekyc) d["eKYCVerificationStatus"] = ekyc;
    return d;
}

json::object backup(const char* status, std::int64_t endtime) {
    return {{"currentstatus", status}, {"endtime", std::to_string(endtime)}};
}
}  // namespace

TEST_SUITE("preflight") {
    TEST_CASE("which actions read the order first") {
        CHECK(preflight_reader(*find_action("nixi.resend"))->name == "domain.details");
        CHECK(preflight_reader(*find_action("backup.renew"))->name == "backup.details");
        CHECK(preflight_reader(*find_action("backup.delete"))->name == "backup.details");
        CHECK(preflight_reader(*find_action("backup.install-agent"))->name == "backup.details");
        CHECK(preflight_reader(*find_action("backup.details")) == nullptr);
        CHECK(preflight_reader(*find_action("backup.auto-login")) == nullptr);
    }

    TEST_CASE("resend: every skip reason of api.md §3, and what goes ahead") {
        const ActionSpec& resend = *find_action("nixi.resend");
        PreflightOptions o;
        struct Row {
            json::object details;
            bool proceed;
            const char* reason;
        };
        const std::vector<Row> rows{
            {domain("InActive", "Pending", "Pending"), false, "domain is InActive"},
            {domain("Deleted", "Pending", "Pending"), false, "domain is Deleted"},
            {domain("Active", "Pending", "Pending Partner Confirmation"), false,
             "eKYC Pending Partner Confirmation"},
            {domain("Active", "Verified", "Verified"), false, "nothing pending"},
            {domain("Active", nullptr, nullptr), false, "not a NIXI domain"},
            {domain("Active", "Pending", "Verified"), true, ""},
            {domain("Active", "Verified", "Pending"), true, ""},
            {domain("Active", "Pending", "Pending"), true, ""},
        };
        for (const Row& row : rows) {
            CAPTURE(json::serialize(row.details));
            PreflightVerdict v = judge(resend, "1", row.details, o, now);
            CHECK(v.proceed == row.proceed);
            CHECK(v.reason.find(row.reason) != std::string::npos);
            CHECK(v.state.status == json::value_to<std::string>(row.details.at("currentstatus")));
        }
    }

    TEST_CASE("resend: the field names are the profile's") {
        PreflightOptions o;
        o.email_field = "emailStatus";
        o.ekyc_field = "kycStatus";
        json::object d{
            {"currentstatus", "Active"}, {"emailStatus", "Pending"}, {"kycStatus", "Verified"}};
        CHECK(judge(*find_action("nixi.resend"), "1", d, o, now).proceed);
        CHECK_FALSE(
            judge(*find_action("nixi.resend"), "1", domain("Active", "Pending", "Pending"), o, now)
                .proceed);
    }

    TEST_CASE("resend: min-interval skips what this job resent recently") {
        PreflightOptions o;
        o.min_interval = std::chrono::hours(24);
        o.last_resent = std::make_shared<const std::map<std::string, std::int64_t>>(
            std::map<std::string, std::int64_t>{{"7", now - 3600}, {"8", now - 25 * 3600}});
        const ActionSpec& resend = *find_action("nixi.resend");
        const auto pending = domain("Active", "Pending", "Pending");
        PreflightVerdict recent = judge(resend, "7", pending, o, now);
        CHECK_FALSE(recent.proceed);
        CHECK(recent.reason.find("resent 1 h ago") != std::string::npos);
        CHECK(judge(resend, "8", pending, o, now).proceed);
        CHECK(judge(resend, "9", pending, o, now).proceed);
    }

    TEST_CASE("renew: only Active orders, and the optional expiry guard") {
        const ActionSpec& renew = *find_action("backup.renew");
        PreflightOptions o;
        for (const char* status : {"InActive", "Deleted", "Suspended"}) {
            CAPTURE(status);
            PreflightVerdict v = judge(renew, "1", backup(status, now), o, now);
            CHECK_FALSE(v.proceed);
            CHECK(v.reason == std::string("order is ") + status);
        }
        PreflightVerdict active = judge(renew, "1", backup("Active", now + 86400), o, now);
        CHECK(active.proceed);
        CHECK(active.state.endtime == std::to_string(now + 86400));
        o.renew_if_expires_within = std::chrono::seconds(30 * 86400);
        CHECK(judge(renew, "1", backup("Active", now + 29 * 86400), o, now).proceed);
        PreflightVerdict late = judge(renew, "1", backup("Active", now + 31 * 86400), o, now);
        CHECK_FALSE(late.proceed);
        CHECK(late.reason.find("not within renew-if-expires-within") != std::string::npos);
    }

    TEST_CASE("delete skips only what is already Deleted; install-agent needs Active") {
        PreflightOptions o;
        CHECK_FALSE(
            judge(*find_action("backup.delete"), "1", backup("Deleted", now), o, now).proceed);
        CHECK(judge(*find_action("backup.delete"), "1", backup("Suspended", now), o, now).proceed);
        CHECK_FALSE(
            judge(*find_action("backup.install-agent"), "1", backup("InActive", now), o, now)
                .proceed);
        CHECK(judge(*find_action("backup.install-agent"), "1", backup("Active", now), o, now)
                  .proceed);
    }

    TEST_CASE("staleness: a moved end time or a changed status") {
        CHECK_FALSE(staleness({"Active", "100"}, {"Active", "100"}).has_value());
        CHECK(
            staleness({"Active", "100"}, {"Deleted", "100"}).value_or("").find("status changed") !=
            std::string::npos);
        CHECK(staleness({"Active", "1800000000"}, {"Active", "1831536000"})
                  .value_or("")
                  .find("end time moved") != std::string::npos);
    }

    TEST_CASE("calendar months, with the end of a short month") {
        // 2026-01-31T10:00:00Z + 1 month = 2026-02-28T10:00:00Z
        CHECK(add_months(1769853600, 1) == 1772272800);
        // 2026-12-20 + 12 months = 2027-12-20
        CHECK(date_of(std::to_string(add_months(1797724800, 12))) == "2027-12-20");
        CHECK(date_of("1797724800") == "2026-12-20");
        CHECK(date_of("soon") == "soon");
    }
}

}  // namespace preflight_test
