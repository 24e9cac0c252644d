// Every file under tests/data/bad*/ starts with "# expect: LINE TEXT" (after a BOM, before a
// CR): loading it must fail with a diagnostic on that line whose one-line form contains TEXT.

#include "config/job.hpp"
#include "config/profile.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace bad_files_test {

namespace fs = std::filesystem;
using namespace rcbatch::config;

namespace {
struct Expectation {
    int line = 0;
    std::string text;
};

Expectation read_expectation(const fs::path& file) {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    if (first.rfind("\xef\xbb\xbf", 0) == 0) first.erase(0, 3);    // a UTF-8 BOM
    if (!first.empty() && first.back() == '\r') first.pop_back();  // CRLF
    const std::string tag = "# expect: ";
    REQUIRE_MESSAGE(first.rfind(tag, 0) == 0, file.string() << " has no '# expect:' line");
    Expectation e;
    const std::string rest = first.substr(tag.size());
    const auto space = rest.find(' ');
    e.line = std::stoi(rest.substr(0, space));
    e.text = rest.substr(space + 1);
    return e;
}

std::vector<fs::path> toml_files(const std::string& folder) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(RCBATCH_SOURCE_DIR) / folder))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

void check(const fs::path& file, const Diagnostics& errors) {
    const Expectation e = read_expectation(file);
    CAPTURE(file.filename().string());
    CAPTURE(e.line);
    CAPTURE(e.text);
    REQUIRE_FALSE(errors.empty());
    std::string all;
    bool found = false;
    for (const Diagnostic& d : errors) {
        const std::string line = format(d);
        all += line + "\n";
        CHECK_MESSAGE(line.find('\n') == std::string::npos, "a diagnostic is one line");
        found = found || (d.line == e.line && line.find(e.text) != std::string::npos);
    }
    CAPTURE(all);
    CHECK(found);
}
}  // namespace

TEST_SUITE("job loader") {
    TEST_CASE("every bad job file fails with a located message naming the key") {
        const auto files = toml_files("tests/data/bad");
        CHECK(files.size() >= 70);
        for (const fs::path& file : files) {
            JobLoad loaded = load_job(file, rcbatch::jobs::seen_keys_in_memory);
            CHECK_FALSE(loaded.job.has_value());
            check(file, loaded.errors);
        }
    }

    TEST_CASE("every bad profile file fails with a located message naming the key") {
        const auto files = toml_files("tests/data/bad-profiles");
        CHECK(files.size() >= 20);
        for (const fs::path& file : files) {
            ProfileLoad loaded = load_profile_file(file);
            CHECK_FALSE(loaded.config.has_value());
            check(file, loaded.errors);
        }
    }

    TEST_CASE("all errors of a file are collected, not only the first") {
        const fs::path file = fs::path(RCBATCH_SOURCE_DIR) / "tests/data/several-errors.toml";
        JobLoad loaded = load_job(file, rcbatch::jobs::seen_keys_in_memory);
        CHECK(loaded.errors.size() >= 3);
    }

    TEST_CASE("an unknown key close to a known one gets a suggestion") {
        JobLoad loaded =
            load_job(fs::path(RCBATCH_SOURCE_DIR) / "tests/data/bad/01-unknown-top-key.toml",
                     rcbatch::jobs::seen_keys_in_memory);
        REQUIRE(loaded.errors.size() == 1);
        CHECK(format(loaded.errors[0]).find("did you mean 'action'?") != std::string::npos);
    }

    TEST_CASE("the api-key message says where keys belong and never echoes the key") {
        JobLoad loaded =
            load_job(fs::path(RCBATCH_SOURCE_DIR) / "tests/data/bad/07-api-key-top.toml",
                     rcbatch::jobs::seen_keys_in_memory);
        REQUIRE(loaded.errors.size() == 1);
        const std::string line = format(loaded.errors[0]);
        CHECK(line.find("RCBATCH_API_KEY") != std::string::npos);
        CHECK(line.find("secret") == std::string::npos);
    }
}

}  // namespace bad_files_test
