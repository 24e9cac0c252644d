#pragma once
// What an in-process run left behind (tests/support/run_fixture.hpp): its outcome and exit
// code, what it printed, and its run folder read back: targets, records, every file.

#include "tests/support/files.hpp"
#include "tests/support/job_setup.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::test {

namespace fs = std::filesystem;
namespace json = boost::json;

// The JSON object of each line of `path` (a test fails on a line that is not one).
inline std::vector<json::object> read_jsonl(const fs::path& path) {
    std::vector<json::object> out;
    std::istringstream lines(slurp(path));
    std::string line;
    while (std::getline(lines, line)) out.push_back(json::parse(line).as_object());
    return out;
}

struct RunOutput {
    RunResult report;
    std::vector<json::object> targets;         // targets.jsonl
    std::vector<json::object> records;         // results.jsonl, or plan.jsonl for a dry run
    std::map<std::string, std::string> files;  // every file of the run folder, by name
    std::string jsonl, csv, summary_file;      // results.jsonl, results.csv, summary.json
    std::string every_file;                    // every file of the run folder, one after another
    json::object summary;                      // summary.json as read back
    std::string printed;

    // The record whose target is `target` (fails the test when there is not exactly one).
    const json::object& at(const std::string& target) const {
        const json::object* found = nullptr;
        int n = 0;
        for (const auto& r : records)
            if (text_of(r.at("target")) == target) found = &r, ++n;
        REQUIRE_MESSAGE(n == 1, "records for target " << target << ": " << n);
        return *found;
    }
    // The record whose order id is `id` (fails the test when there is not exactly one).
    const json::object& of(std::uint64_t id) const {
        const json::object* found = nullptr;
        int n = 0;
        for (const auto& r : records)
            if (r.at("order").is_string() && r.at("order").as_string() == std::to_string(id))
                found = &r, ++n;
        REQUIRE_MESSAGE(n == 1, "records for order " << id << ": " << n);
        return *found;
    }
    std::size_t count(std::string_view outcome) const {
        std::size_t n = 0;
        for (const auto& r : records) n += r.at("outcome").as_string() == outcome;
        return n;
    }
    // Lines of results.csv without its header.
    std::size_t csv_rows() const {
        std::size_t n = 0;
        for (std::size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++n;
        return n == 0 ? 0 : n - 1;
    }
    // Order ids of targets.jsonl (a test fails on a duplicate or a target without an id).
    std::set<std::uint64_t> target_ids() const {
        std::set<std::uint64_t> ids;
        for (const auto& t : targets) {
            const std::string id = text_of(t.at("id"));
            REQUIRE_MESSAGE(!id.empty(), json::serialize(t));
            CHECK_MESSAGE(ids.insert(std::stoull(id)).second, "duplicate target " << id);
        }
        return ids;
    }
};

// The run folder of `report` read back.
inline RunOutput read_run(RunResult report, std::string printed, bool dry_run) {
    RunOutput out;
    out.report = std::move(report);
    out.printed = std::move(printed);
    const fs::path& dir = out.report.dir;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string text = slurp(e.path());
        out.every_file += text;
        out.files[e.path().filename().string()] = std::move(text);
    }
    if (fs::exists(dir / "targets.jsonl")) out.targets = read_jsonl(dir / "targets.jsonl");
    const fs::path records = dir / (dry_run ? "plan.jsonl" : "results.jsonl");
    if (fs::exists(records)) out.records = read_jsonl(records);
    out.jsonl = slurp(dir / "results.jsonl");
    out.csv = slurp(dir / "results.csv");
    out.summary_file = slurp(dir / "summary.json");
    if (!out.summary_file.empty()) out.summary = json::parse(out.summary_file).as_object();
    return out;
}

// The API key is nowhere in the reports, in no file of the run folder and not in what was
// printed.
inline void check_no_key(const RunOutput& out, const std::string& key) {
    REQUIRE(!key.empty());
    REQUIRE(!out.files.empty());
    CHECK(out.jsonl.find(key) == std::string::npos);
    CHECK(out.csv.find(key) == std::string::npos);
    CHECK(out.summary_file.find(key) == std::string::npos);
    CHECK(out.every_file.find(key) == std::string::npos);
    for (const auto& [name, text] : out.files)
        CHECK_MESSAGE(text.find(key) == std::string::npos, name);
    CHECK(out.printed.find(key) == std::string::npos);
}

// Every report file holds one record per target, and the summary counts them.
inline void check_complete_reports(const RunOutput& out, std::size_t targets) {
    CHECK(out.records.size() == targets);
    CHECK(out.csv_rows() == targets);
    REQUIRE(!out.summary_file.empty());
    CHECK(out.summary.at("orders").to_number<std::uint64_t>() == targets);
    std::vector<int> seen(targets, 0);
    for (const auto& r : out.records) {
        const auto seq = r.at("seq").to_number<std::uint64_t>();
        REQUIRE(seq < targets);
        ++seen[seq];
    }
    for (std::size_t i = 0; i < targets; ++i) CHECK_MESSAGE(seen[i] == 1, "seq " << i);
}

}  // namespace rcbatch::test
