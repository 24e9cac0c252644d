// The table of settings (config/settings.hpp) is the one place a range or a default is
// written: the README's table says the same, row for row, and the readers hold to it.
#include "config/settings.hpp"

#include "config/toml_reader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace settings_test {

namespace fs = std::filesystem;
namespace settings = rcbatch::config::settings;

// The rows of the README's table under "### Setting ranges", each cell trimmed.
std::vector<std::vector<std::string>> readme_rows() {
    std::ifstream in(fs::path(RCBATCH_SOURCE_DIR) / "README.md");
    std::vector<std::vector<std::string>> rows;
    std::string line;
    bool in_section = false;
    while (std::getline(in, line)) {
        if (line.starts_with("### ")) in_section = line == "### Setting ranges";
        if (!in_section || !line.starts_with("| ") || line.starts_with("|---")) continue;
        std::vector<std::string> cells;
        std::stringstream cells_in(line.substr(1));
        for (std::string cell; std::getline(cells_in, cell, '|');) {
            const auto first = cell.find_first_not_of(' ');
            const auto last = cell.find_last_not_of(' ');
            cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
        }
        rows.push_back(cells);
    }
    return rows;
}

TEST_SUITE("settings") {
    TEST_CASE("the README's table of ranges is the table of settings") {
        const auto readme = readme_rows();
        REQUIRE_FALSE(readme.empty());
        CHECK(readme.front() == std::vector<std::string>{"setting", "from", "to", "default"});
        const auto rows = settings::rows();
        REQUIRE(readme.size() == rows.size() + 1);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            CAPTURE(rows[i].key);
            CHECK(readme[i + 1] == std::vector<std::string>{rows[i].key, rows[i].from, rows[i].to,
                                                            rows[i].fallback});
        }
    }

    TEST_CASE("the man page gives the command line's ranges from the table") {
        std::ifstream in(fs::path(RCBATCH_SOURCE_DIR) / "man/rcbatch.1");
        const std::string man((std::istreambuf_iterator<char>(in)), {});
        const auto range = [](const auto& s) {
            return std::to_string(static_cast<long long>(s.min)) + " to " +
                   std::to_string(static_cast<long long>(s.max));
        };
        CHECK(man.find("(" + range(settings::concurrency) + ";") != std::string::npos);
        CHECK(man.find("(" + range(settings::rate) + ",") != std::string::npos);
    }

    TEST_CASE("the man page's Settings list is the table of settings, row for row") {
        std::ifstream in(fs::path(RCBATCH_SOURCE_DIR) / "man/rcbatch.1");
        const std::string man((std::istreambuf_iterator<char>(in)), {});
        const auto roff = [](std::string text) {  // as the page writes it: '-' as "\\-"
            std::string out;
            for (char c : text) {
                if (c == '`') continue;
                if (c == '-') out += '\\';
                out += c;
            }
            return out;
        };
        std::size_t at = man.find(".SS Settings");
        REQUIRE(at != std::string::npos);
        for (const auto& row : settings::rows()) {
            CAPTURE(row.key);
            const std::string name = roff(row.key.substr(0, row.key.find(" (")));
            at = man.find(name, at);
            REQUIRE(at != std::string::npos);
            const std::string range =
                "\n" + roff("from " + row.from + " to " + row.to + ", default " + row.fallback) +
                ".\n";
            const std::size_t next = man.find(".TP", at);
            CHECK(man.find(range, at) < next);
        }
    }

    TEST_CASE("a reader refuses a value out of a setting's range, naming the range") {
        toml::table table = toml::parse("concurrency = 257\nrate = 1000\ntimeout = \"0ms\"\n");
        rcbatch::config::Diagnostics out;
        rcbatch::config::TomlReader reader(table, "job.toml", "run", out);
        CHECK_FALSE(reader.integer(settings::concurrency));
        CHECK(reader.number(settings::rate) == 1000.0);
        CHECK_FALSE(reader.duration(settings::timeout));
        REQUIRE(out.size() == 2);
        CHECK(out[0].message.find("256") != std::string::npos);
        CHECK(out[1].message.find("1ms") != std::string::npos);
        CHECK(settings::range_text(settings::concurrency) == "from 1 to 256");
    }
}

}  // namespace settings_test
