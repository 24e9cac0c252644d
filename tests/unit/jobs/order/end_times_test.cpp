// A renewal's end times in its record (jobs/order/end_times.hpp): the reply's own end time wins;
// without one, an applied renewal's is the end time before plus its months, and says so.

#include "jobs/order/end_times.hpp"

#include "jobs/actions/registry.hpp"

#include <doctest/doctest.h>

namespace end_times_test {

using namespace rcbatch::jobs;
using rcbatch::engine::OrderResult;
using rcbatch::engine::Outcome;

namespace {
const ActionSpec& renew() { return *find_action("backup.renew"); }

OrderResult applied_renew() {
    OrderResult r;
    r.outcome = Outcome::ok;
    r.fields["change"] = "applied";
    r.fields["endtime_before"] = "1767225600";  // 2026-01-01T00:00:00Z
    return r;
}
}  // namespace

TEST_SUITE("end times") {
    TEST_CASE("applied without an end time in the reply: before plus the months, said so") {
        OrderResult r = applied_renew();
        add_end_times(renew(), {{"months", std::int64_t{3}}}, r);
        CHECK(r.fields.at("endtime_after") == "1775001600");  // 2026-04-01
        CHECK(r.fields.at("endtime_after_iso") == "2026-04-01T00:00:00Z");
        CHECK(r.fields.at("endtime_before_iso") == "2026-01-01T00:00:00Z");
        CHECK(r.fields.contains("endtime_after_from"));
    }

    TEST_CASE("the reply's own end time wins") {
        OrderResult r = applied_renew();
        r.fields["endtime"] = "1790000000";
        add_end_times(renew(), {{"months", std::int64_t{3}}}, r);
        CHECK(r.fields.at("endtime_after") == "1790000000");
        CHECK_FALSE(r.fields.contains("endtime_after_from"));
    }

    TEST_CASE("not applied, or not a renewal: no end time after is made up") {
        OrderResult pending = applied_renew();
        pending.fields["change"] = "pending";
        add_end_times(renew(), {{"months", std::int64_t{3}}}, pending);
        CHECK_FALSE(pending.fields.contains("endtime_after"));

        OrderResult failed = applied_renew();
        failed.outcome = Outcome::api_error;
        add_end_times(renew(), {{"months", std::int64_t{3}}}, failed);
        CHECK_FALSE(failed.fields.contains("endtime_after"));

        OrderResult details = applied_renew();
        add_end_times(*find_action("backup.details"), {}, details);
        CHECK_FALSE(details.fields.contains("endtime_after"));
    }
}

}  // namespace end_times_test
