// Target files are strict (issue #19 case 6): a CSV line with more or fewer cells than its
// header, a header that names a column twice, a JSON line that names a member twice, and one
// order given twice with other parameters are errors at FILE:LINE:COL for validate, plan and
// run alike (exit 2, nothing sent). The same order twice with the same parameters stays a
// duplicate the run skips.

#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

namespace strict_files_test {

using namespace rcbatch::test::money;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::text_of;

namespace {
const std::string renew_params =
    "\n[params]\nmonths = 12\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n";

// Runs validate, plan and run on `job`; each must exit 2 and print every one of `expected`.
void refused_everywhere(const MoneyFixture& f, const fs::path& job,
                        const std::vector<std::string>& expected) {
    for (const char* command : {"validate", "plan", "run"}) {
        CAPTURE(command);
        auto r = std::string(command) == "validate" ? run_rcbatch({"validate", job.string()})
                                                    : f.rcbatch(command, job);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        for (const std::string& line : expected)
            CHECK_MESSAGE(r.err.find(line) != std::string::npos, line);
    }
}
}  // namespace

TEST_SUITE("e2e: money") {
    TEST_CASE(
        "strict target files: a line's width, a column or member twice, an order twice "
        "with other parameters: FILE:LINE:COL, exit 2, nothing sent") {
        MoneyFixture f;
        auto orders = f.active_us(3);
        REQUIRE(orders.size() == 3);
        const std::string a = std::to_string(orders[0]->id), b = std::to_string(orders[1]->id),
                          c = std::to_string(orders[2]->id);
        const std::size_t n = a.size();  // the sandbox's ids have one length
        const auto at = [&](const std::string& file, int line, std::size_t col) {
            return (f.tmp.path / file).string() + ":" + std::to_string(line) + ":" +
                   std::to_string(col) + ": ";
        };

        // The row: "renew 3 months" with the 12 dropped, today.
        const auto wide = f.write_job(
            "wide", "backup.renew", "wide.csv",
            "order-id,customer,months\n" + a + ",Acme,3,12\n" + b + ",Beta\n" + c + ",Gamma,3\n",
            "keep-columns = [\"customer\"]\n" + renew_params);
        refused_everywhere(
            f, wide,
            {at("wide.csv", 2, n + 9) + "the line has 4 cells, the header 3: which cell is which?",
             at("wide.csv", 3, 1) + "the line has 2 cells, the header 3: which cell is which?"});

        // months,months = 1,120: "the last wins" today.
        const auto twice = f.write_job("twice", "backup.renew", "twice.csv",
                                       "order-id,months,months\n" + a + ",1,120\n", renew_params);
        refused_everywhere(f, twice,
                           {at("twice.csv", 1, 17) +
                            "the header names column 'months' twice (columns 2 and 3): which one "
                            "would count?"});

        const auto member =
            f.write_job("member", "backup.renew", "member.jsonl",
                        "{\"order-id\":" + a + ",\"months\":1,\"months\":120}\n", renew_params);
        refused_everywhere(f, member,
                           {at("member.jsonl", 1, n + 25) +
                            "member \"months\" is given twice: which one would count?"});

        // One order twice, with other parameters: which would it get?
        const auto conflict =
            f.write_job("conflict", "backup.renew", "conflict.csv",
                        "order-id,months\n" + a + ",3\n" + b + ",3\n" + a + ",12\n", renew_params);
        refused_everywhere(f, conflict,
                           {at("conflict.csv", 4, n + 2) +
                            "the order of line 2 again, with other parameters (months: line 2 3, "
                            "line 4 12): which would it get? Give it one line"});

        CHECK(f.sb.api_requests() == 0);
        for (const char* job : {"wide", "twice", "member", "conflict"})
            CHECK(newest_run(f.reports, job).empty());
    }

    TEST_CASE("the same order twice with the same parameters: renewed once, the second skipped") {
        MoneyFixture f;
        auto orders = f.active_us(2);
        REQUIRE(orders.size() == 2);
        const std::string a = std::to_string(orders[0]->id), b = std::to_string(orders[1]->id);
        const auto job =
            f.write_job("same-twice", "backup.renew", "same.csv",
                        "order-id,months\n" + a + ",3\n" + b + ",3\n" + a + ",3\n", renew_params);
        CHECK(run_rcbatch({"validate", job.string()}).exit_code == 0);
        auto r = f.rcbatch("run", job);
        CAPTURE(r.err);
        CHECK(r.exit_code == 0);
        CHECK(f.sb.counters("backup.renew").at(a).second == 1);
        const auto records = read_jsonl(newest_run(f.reports, "same-twice") / "results.jsonl");
        REQUIRE(records.size() == 3);
        std::size_t skipped = 0;
        for (const auto& rec : records)
            if (text_of(rec.at("outcome")) == "skipped") {
                ++skipped;
                CHECK(text_of(rec.at("message")) == "duplicate of line 2");
                CHECK(text_of(rec.at("target")) == a);
            }
        CHECK(skipped == 1);
    }
}

}  // namespace strict_files_test
