#include "jobs/select/target_file_reader.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <vector>

namespace target_file_reader_test {

namespace fs = std::filesystem;
using namespace rcbatch::jobs;

namespace {
fs::path write_temp(const std::string& name, const std::string& text) {
    fs::path path =
        fs::temp_directory_path() / ("rcbatch-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path;
}

std::vector<TargetLine> read_all(const fs::path& path) {
    TargetFileReader reader(path.string());
    std::vector<TargetLine> lines;
    while (auto line = reader.next()) lines.push_back(*line);
    fs::remove(path);
    return lines;
}
}  // namespace

TEST_SUITE("target file") {
    TEST_CASE("a plain list: ids and names, comments and blank lines skipped") {
        auto lines = read_all(write_temp(
            "plain.txt", "# header comment\n91234567\n\n  shop.co.in  # a shop\r\nबाज़ार.भारत\n"));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].line == 2);
        CHECK(lines[0].order_id == 91234567);
        CHECK(lines[1].given == "shop.co.in");
        CHECK(lines[1].line == 4);
        CHECK_FALSE(lines[1].order_id.has_value());
        CHECK(lines[1].error.empty());
        CHECK(lines[2].error.empty());
    }

    TEST_CASE("a CSV with an order-id column") {
        auto lines = read_all(
            write_temp("orders.csv", "customer,order-id,note\n7,\"91234567\",\"a, b\"\n8,x1\n"));
        REQUIRE(lines.size() == 2);
        CHECK(lines[0].order_id == 91234567);
        CHECK(lines[1].given == "x1");
        CHECK_FALSE(lines[1].error.empty());
    }

    TEST_CASE("a CSV without a target column is one error, not a list of garbage") {
        auto lines = read_all(write_temp("bad.csv", "a,b\n1,2\n"));
        REQUIRE(lines.size() >= 1);
        CHECK(lines[0].error.find("header") != std::string::npos);
    }

    TEST_CASE("a CSV line with more or fewer cells than its header: an error, no cell dropped") {
        auto lines = read_all(write_temp("width.csv",
                                         "order-id,customer,months\n60442031,Acme,3,12\n"
                                         "60442032,Beta\n60442033,\"Gamma, Ltd\",3\n"));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].error == "the line has 4 cells, the header 3: which cell is which?");
        CHECK(lines[0].error_col == 17);  // the first cell past the header's
        CHECK(lines[0].cells.empty());
        CHECK(lines[1].error == "the line has 2 cells, the header 3: which cell is which?");
        CHECK(lines[2].error.empty());  // a quoted comma is no cell of its own
        REQUIRE(lines[2].cells.size() == 2);
        CHECK(lines[2].cells[1].text == "3");
    }

    TEST_CASE("a header that names a column twice: every line is an error, the header's first") {
        TargetFileReader reader(
            write_temp("twice.csv", "order-id,months,months\n60442031,1,120\n").string());
        auto line = reader.next();
        REQUIRE(line.has_value());
        CHECK(reader.header_problem() ==
              "the header names column 'months' twice (columns 2 and 3): which one would count?");
        CHECK(reader.header_problem_col() == 17);
        CHECK(line->error == reader.header_problem());
        CHECK(line->cells.empty());
    }

    TEST_CASE("a JSON line that names a member twice: an error at the second, not the last wins") {
        auto lines =
            read_all(write_temp("twice.jsonl",
                                "{\"order-id\":60442031,\"months\":1,\"months\":120}\n"
                                "{\"order-id\":60442032,\"months\":1,\"keep\":{\"a\":1,\"b\":2}}\n"
                                "{\"order-id\":60442033,\"mo\\u006eths\":1,\"months\":2}\n"));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].error == "member \"months\" is given twice: which one would count?");
        CHECK(lines[0].error_col == 33);
        CHECK(lines[0].cells.empty());
        CHECK(lines[1].error.empty());
        CHECK(lines[2].error.find("\"months\" is given twice") != std::string::npos);
    }

    TEST_CASE("a file that cannot be opened throws with its name") {
        CHECK_THROWS_WITH_AS(TargetFileReader("/no/such/file"), doctest::Contains("/no/such/file"),
                             std::runtime_error);
    }

    TEST_CASE("order ids and domain names") {
        CHECK(parse_order_id("1") == 1);
        CHECK_FALSE(parse_order_id("0").has_value());
        CHECK_FALSE(parse_order_id("12a").has_value());
        CHECK_FALSE(parse_order_id("-1").has_value());
        CHECK_FALSE(parse_order_id("1234567890123456789").has_value());
        CHECK(plausible_domain_name("example.in"));
        CHECK(plausible_domain_name("xn--h2brj9c.xn--h2brj9c"));
        CHECK_FALSE(plausible_domain_name("localhost"));
        CHECK_FALSE(plausible_domain_name("-bad.in"));
        CHECK_FALSE(plausible_domain_name("a..in"));
        CHECK_FALSE(plausible_domain_name("has space.in"));
    }

    TEST_CASE("a byte order mark (Excel's CSV UTF-8) starts no line: CSV, list and JSON Lines") {
        const std::string bom = "\xef\xbb\xbf";
        auto csv = read_all(write_temp("bom.csv", bom + "order-id,months\r\n91234567,12\r\n"));
        REQUIRE(csv.size() == 1);
        CHECK(csv[0].error.empty());
        CHECK(csv[0].order_id == 91234567);
        REQUIRE(csv[0].cells.size() == 1);
        CHECK(csv[0].cells[0].column == "months");

        auto list = read_all(write_temp("bom.txt", bom + "bad name\n"));
        REQUIRE(list.size() == 1);
        CHECK(list[0].given == "bad name");
        CHECK(list[0].error.find(bom) == std::string::npos);

        auto json = read_all(write_temp("bom.jsonl", bom + "{\"order-id\": 91234567}\n"));
        REQUIRE(json.size() == 1);
        CHECK(json[0].error.empty());
        CHECK(json[0].order_id == 91234567);
    }

    TEST_CASE("a line over 64 KiB is a bad line by its number and length, never held whole") {
        const std::size_t long_line = 3 * max_target_line_bytes + 7;
        auto lines = read_all(
            write_temp("long.txt", "91234567\n" + std::string(long_line, '9') + "\n91234568\n"));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].order_id == 91234567);
        CHECK(lines[1].line == 2);
        CHECK(lines[1].given.empty());
        CHECK(lines[1].error == "the line is " + std::to_string(long_line) +
                                    " bytes long, over the 64 KiB limit of a line");
        CHECK(lines[2].line == 3);
        CHECK(lines[2].order_id == 91234568);
    }

    TEST_CASE("a NUL byte in a line never leaves a shorter, valid id behind") {
        auto lines = read_all(write_temp("nul.txt", std::string("123\0"
                                                                "456\n",
                                                                8)));
        REQUIRE(lines.size() == 1);
        CHECK_FALSE(lines[0].order_id.has_value());
        CHECK_FALSE(lines[0].error.empty());
    }
}

}  // namespace target_file_reader_test
