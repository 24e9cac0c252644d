// Spreadsheet-safe CSV (issue #20): OWASP's rule for CSV injection on every cell, control and
// bidi bytes escaped, numbers left alone; `--csv raw` writes cells exactly as they came.

#include "engine/text/csv_cells.hpp"

#include "engine/report/report_writer.hpp"

#include <boost/json/object.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace csv_cells_test {

using namespace rcbatch::engine;

TEST_SUITE("csv cells") {
    TEST_CASE("a cell a spreadsheet would run as a formula gets a leading quote") {
        struct Case {
            std::string in, out;
        };
        const std::vector<Case> cases{
            {"=HYPERLINK(\"http://x.example\",\"click\")",
             "'=HYPERLINK(\"http://x.example\",\"click\")"},
            {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
            {"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
            {"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
            {"\t=1+1", "'\\x09=1+1"},
            {"\r=1+1", "'\\x0d=1+1"},
            {"-", "'-"},
            {"plain text", "plain text"},
            {"", ""},
            {"a=b", "a=b"},  // only the first character counts
            {"red \x1b[31mALERT", "red \\x1b[31mALERT"},
            {"abc\xe2\x80\xae"
             "fdp.exe",
             "abc\\u202efdp.exe"},
            {"two\nlines", "two\\x0alines"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.in);
            CHECK(spreadsheet_safe(c.in) == c.out);
        }
    }

    TEST_CASE("numbers keep their sign") {
        for (const char* number : {"-42.000", "+12", "-0.5", "1e5", "-1.5E-3", "7", "-.5"}) {
            CAPTURE(number);
            CHECK(is_plain_number(number));
            CHECK(spreadsheet_safe(number) == number);
        }
        for (const char* not_number :
             {"-", "+", "1,000", "0x10", "-1+1", "1e", "--1", ".", "-e5"}) {
            CAPTURE(not_number);
            CHECK_FALSE(is_plain_number(not_number));
        }
    }

    TEST_CASE("results.csv: every cell safe by default, the header's too; raw keeps them") {
        OrderResult r;
        r.seq = 0;
        r.order_id = "91234567";
        r.target = "=HYPERLINK(\"http://evil.example\")";
        r.action = "backup.renew";
        r.outcome = Outcome::api_error;
        r.http_status = 500;
        r.message = "@SUM(1)\x1b[2J";
        r.fields = boost::json::object{{"=cmd", "+1+1"}};
        const std::vector<std::string> columns{"=cmd"};
        const std::string safe = csv_header(columns) + csv_row(r, columns);
        CHECK(safe.find(",'=cmd,") != std::string::npos);
        CHECK(safe.find(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",") != std::string::npos);
        CHECK(safe.find(",'@SUM(1)\\x1b[2J,") != std::string::npos);
        CHECK(safe.find(",'+1+1,") != std::string::npos);
        CHECK(safe.find('\x1b') == std::string::npos);

        const std::string raw =
            csv_header(columns, CsvCells::raw) + csv_row(r, columns, CsvCells::raw);
        CHECK(raw.find(",=cmd,") != std::string::npos);
        CHECK(raw.find(",@SUM(1)\x1b[2J,") != std::string::npos);
        CHECK(raw.find(",+1+1,") != std::string::npos);
    }
}

}  // namespace csv_cells_test
