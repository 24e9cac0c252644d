// A reply with a number no double holds (1e999) keeps the server's text: the journal stays
// valid JSON, no intent looks open, and a resume sends nothing more.
#include "engine/store/journal_scan.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/run_fixture.hpp"

namespace journal_numbers_test {

using namespace rcbatch;
using namespace rcbatch::test;

TEST_SUITE("never twice: numbers") {
    TEST_CASE("sellingamount 1e999: valid JSON everywhere, nothing open, nothing resent") {
        sandbox::Options o = run_options(5);
        o.faults = sandbox::parse_fault_spec("huge-number=1");
        RunFixture f(o);
        const auto ids = f.own_orders(active_backup("us"), 5);
        const std::vector<jobs::CallParam> params{{"months", std::int64_t{1}},
                                                  {"invoice-option", std::string("KeepInvoice")},
                                                  {"auto-renew", false}};
        auto out = f.run_ids(f.action("backup.renew", "us", params), ids, f.settings());
        CHECK(out.count("ok") == ids.size());
        for (const auto& r : out.records)
            CHECK(text_of(r.at("fields").at("sellingamount")) == "1e999");
        std::istringstream lines(slurp(out.report.dir / "journal.jsonl"));
        std::string line;
        while (std::getline(lines, line)) {
            CAPTURE(line);
            CHECK(line.find("Infinity") == std::string::npos);
            boost::system::error_code ec;
            json::parse(line, ec);
            CHECK_FALSE(ec);
        }
        const auto scan = engine::scan_journal(out.report.dir / "journal.jsonl");
        CHECK(scan.damaged_lines == 0);
        CHECK(scan.open_intents.empty());
        CHECK(scan.final_orders == ids.size());
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);
    }
}

}  // namespace journal_numbers_test
