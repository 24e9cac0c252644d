#include "jobs/select/param_cells.hpp"

#include "jobs/actions/registry.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace param_cells_test {

using namespace rcbatch::jobs;

TEST_SUITE("param cells") {
    TEST_CASE("each cell read with its parameter's own rules") {
        const ActionSpec& renew = *find_action("backup.renew");
        struct Row {
            const char* param;
            const char* text;
            const char* error;  // "" when valid
        };
        const Row rows[] = {
            {"months", "12", ""},
            {"months", "0", "must be from 1 to 120, got 0"},
            {"months", "121", "must be from 1 to 120, got 121"},
            {"months", "1.5", "expected a whole number from 1 to 120, got '1.5'"},
            {"invoice-option", "KeepInvoice", ""},
            {"invoice-option", "keepinvoice",
             "'keepinvoice' is not one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd (did you "
             "mean 'KeepInvoice'?)"},
            {"auto-renew", "TRUE", ""},
            {"auto-renew", "yes", "expected true or false, got 'yes'"},
            {"discount-amount", "2.50", ""},
            {"discount-amount", "-1", "must be a number at least 0, got -1"},
            {"discount-amount", "1e3", "expected a number at least 0, got '1e3'"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.param);
            CAPTURE(row.text);
            CellValue v = parse_cell(*find_param(renew, row.param), row.text);
            CHECK(v.error == row.error);
            CHECK(v.value.has_value() == (std::string(row.error).empty()));
        }
        CHECK(std::get<bool>(*parse_cell(*find_param(renew, "auto-renew"), "TRUE").value));
        CHECK(std::get<double>(*parse_cell(*find_param(renew, "discount-amount"), "2.50").value) ==
              2.5);
    }

    TEST_CASE("a line's own parameters, kept columns, problems and unknown columns") {
        ColumnRules rules{
            find_action("backup.renew"), {"customer"}, {"invoice-option", "auto-renew"}};
        LineParams own = line_params(
            rules, {{"months", "6", 10}, {"customer", "Acme #2", 12}, {"note", "x", 20}});
        REQUIRE(own.params.size() == 1);
        CHECK(own.params[0].name == "months");
        CHECK(std::get<std::int64_t>(own.params[0].value) == 6);
        CHECK(own.kept ==
              std::vector<std::pair<std::string, std::string>>{{"customer", "Acme #2"}});
        CHECK(own.unknown == std::vector<std::string>{"note"});
        CHECK(own.problems.empty());

        LineParams bad = line_params(rules, {{"months", "0", 10}});
        REQUIRE(bad.problems.size() == 1);  // the bad value, not "required" as well
        CHECK(bad.problems[0].message == "months: must be from 1 to 120, got 0");

        LineParams empty = line_params(rules, {{"months", "", 10}});
        REQUIRE(empty.problems.size() == 1);  // months is required and [params] has none
        CHECK(empty.problems[0].col == 10);
        CHECK(empty.problems[0].message ==
              "months: required, and neither this line nor [params] gives a value");
    }

    TEST_CASE("merged parameters: the order's own replace the job's, in the job's order") {
        std::vector<CallParam> job{{"months", std::int64_t{12}},
                                   {"invoice-option", std::string("NoInvoice")}};
        auto merged = merged_params(job, {{"months", std::int64_t{3}}, {"discount-amount", 1.5}});
        REQUIRE(merged.size() == 3);
        CHECK(merged[0].name == "months");
        CHECK(std::get<std::int64_t>(merged[0].value) == 3);
        CHECK(merged[2].name == "discount-amount");
        CHECK(param_text(merged[2].value) == "1.5");
    }

    TEST_CASE("values survive JSON: targets.jsonl and back") {
        for (const ParamValue& v :
             {ParamValue{std::int64_t{7}}, ParamValue{2.5}, ParamValue{true},
              ParamValue{std::string("OnlyAdd")}, ParamValue{std::vector<std::string>{"a", "b"}}})
            CHECK(param_from_json(param_json(v)) == v);
    }

    TEST_CASE("JSON Lines targets: members are cells; CSV cells may hold '#'") {
        const auto dir = std::filesystem::temp_directory_path();
        const auto jsonl = dir / "rcbatch-cells-test.jsonl";
        std::ofstream(jsonl)
            << "# a comment\n{\"order-id\": 91234567, \"months\": 3, \"customer\": \"A #1\"}\n"
            << "{\"domain-name\": \"x.in\"}\n[1]\n";
        TargetFileReader reader(jsonl.string());
        auto first = reader.next();
        REQUIRE(first);
        CHECK(first->order_id == 91234567);
        REQUIRE(first->cells.size() == 2);
        CHECK(first->cells[0].column == "months");
        CHECK(first->cells[0].text == "3");
        CHECK(first->cells[1].text == "A #1");
        CHECK(reader.next()->given == "x.in");
        CHECK(reader.next()->error == "not a JSON object");
        std::filesystem::remove(jsonl);

        const auto csv = dir / "rcbatch-cells-test.csv";
        std::ofstream(csv) << "order-id,customer\n91234567,\"Acme #2, Ltd\"\n";
        TargetFileReader csv_reader(csv.string());
        auto row = csv_reader.next();
        REQUIRE(row);
        CHECK(csv_reader.header_line() == 1);
        REQUIRE(row->cells.size() == 1);
        CHECK(row->cells[0].text == "Acme #2, Ltd");
        CHECK(row->cells[0].col == 10);
        std::filesystem::remove(csv);
    }
}

}  // namespace param_cells_test
