// Duplicate targets run once (issue: an id listed twice in a CSV was renewed twice; a domain
// listed twice got two e-mails): the later one is recorded skipped, "duplicate of line N".
#include "sandbox/api/api.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace dedup_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
using rcbatch::test::renew_params;
}  // namespace

TEST_SUITE("never twice: duplicates") {
    TEST_CASE(
        "an order id twice in a CSV is renewed once; the second row says which line it repeats") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 3);
        REQUIRE(ids.size() == 3);
        const fs::path csv =
            f.reports.parent_path() / ("dups-" + std::to_string(::getpid()) + ".csv");
        std::ofstream(csv) << "order-id\n"
                           << ids[0] << "\n"
                           << ids[1] << "\n"
                           << ids[0] << "\n"
                           << ids[2] << "\n"
                           << ids[1] << "\n";
        std::map<std::uint64_t, std::int64_t> end_before;
        for (auto id : ids) end_before[id] = f.order(id).end_time;

        auto out = f.run(f.action("backup.renew", "us", renew_params()),
                         std::make_unique<jobs::FileSource>(csv.string(), false), f.settings());
        fs::remove(csv);
        check_complete_reports(out, 5);
        CHECK(out.count("ok") == 3);
        CHECK(out.count("skipped") == 2);
        for (auto id : ids) {
            CAPTURE(id);
            CHECK(f.counter(id, "backup.renew").applied == 1);
            CHECK(f.order(id).end_time == sandbox::add_months(end_before[id], 12));
        }
        for (const auto& r : out.records) {
            const auto seq = r.at("seq").to_number<int>();
            if (seq == 2) CHECK(text_of(r.at("message")) == "duplicate of line 2");
            if (seq == 4) CHECK(text_of(r.at("message")) == "duplicate of line 3");
        }
        CHECK(out.summary.at("duplicates").to_number<int>() == 2);
    }

    TEST_CASE("a domain name twice, in another case, gets one e-mail") {
        RunFixture f;
        const auto ids = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::domain && o.status == "Active" &&
                       o.email_verification == "Pending" &&
                       o.ekyc_verification != "Pending Partner Confirmation";
            },
            2);
        REQUIRE(ids.size() == 2);
        const std::string a = f.order(ids[0]).description, b = f.order(ids[1]).description;
        std::string upper = a;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        auto out = f.run_names(f.action("nixi.resend", ""), {a, b, upper, a}, f.settings());
        check_complete_reports(out, 4);
        CHECK(out.count("ok") == 2);
        CHECK(out.count("skipped") == 2);
        CHECK(f.counter(ids[0], "nixi.resend").received == 1);
        CHECK(f.counter(ids[1], "nixi.resend").received == 1);
        CHECK(text_of(out.at(upper).at("message")) == "duplicate of entry 1");
    }
}

}  // namespace dedup_test
