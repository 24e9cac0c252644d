#pragma once
// What the e2e run tests share: job and profile files, a sandbox process, the run folder's reports.

#include "config/job.hpp"
#include "sandbox/api/service.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::rcbatch_binary;
using rcbatch::test::run_folder;
using rcbatch::test::run_rcbatch;

using rcbatch::test::count_lines;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

inline std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

// Targets in a targets file: lines that are not blank or '#' comments, less a CSV's header.
inline std::size_t count_targets_in(const fs::path& file) {
    std::istringstream lines(slurp(file));
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line))
        n += line.find_first_not_of(" \t\r") != std::string::npos &&
             line[line.find_first_not_of(" \t")] != '#';
    return file.extension() == ".csv" && n > 0 ? n - 1 : n;
}

struct Reports {
    std::vector<json::object> records;
    std::string jsonl, csv, summary_text;
    std::string every_file;  // everything in the run folder
    json::object summary;
    std::size_t csv_rows = 0;  // without the header
    std::size_t count(std::string_view outcome) const {
        std::size_t n = 0;
        for (const auto& r : records) n += r.at("outcome").as_string() == outcome;
        return n;
    }
};

inline Reports read_reports(const fs::path& dir) {
    Reports r;
    REQUIRE_MESSAGE(!dir.empty(), "no single run folder");
    r.jsonl = slurp(dir / "results.jsonl");
    r.csv = slurp(dir / "results.csv");
    r.summary_text = slurp(dir / "summary.json");
    for (const auto& file : fs::directory_iterator(dir)) r.every_file += slurp(file.path());
    std::istringstream lines(r.jsonl);
    std::string line;
    while (std::getline(lines, line)) r.records.push_back(json::parse(line).as_object());
    REQUIRE_MESSAGE(!r.summary_text.empty(), "no summary.json in " << dir);
    r.summary = json::parse(r.summary_text).as_object();
    for (std::size_t at = 0; (at = r.csv.find("\r\n", at)) != std::string::npos; at += 2)
        ++r.csv_rows;
    if (r.csv_rows > 0) --r.csv_rows;
    return r;
}

inline void check_one_record_per_target(const Reports& r, std::size_t targets) {
    CHECK(r.records.size() == targets);
    CHECK(r.csv_rows == targets);
    CHECK(r.summary.at("orders").to_number<std::size_t>() == targets);
    std::vector<int> seen(targets, 0);
    for (const auto& rec : r.records) {
        const auto seq = rec.at("seq").to_number<std::size_t>();
        REQUIRE(seq < targets);
        ++seen[seq];
    }
    for (std::size_t i = 0; i < targets; ++i) CHECK_MESSAGE(seen[i] == 1, "seq " << i);
}

// `rcbatch sandbox` as a child process on 127.0.0.1:0 (seeded), stopped with SIGTERM at the
// end, which must be a clean stop (exit 0).
struct SandboxProcess {
    SandboxProcess(const fs::path& dir, std::uint64_t seed, std::vector<std::string> extra = {})
        : child((dir / ("ca-" + std::to_string(seed) + ".pem")).string(),
                args(seed, std::move(extra))),
          url(child.url),
          userid(child.userid),
          key(child.api_key),
          ca_file(child.ca_file) {
        REQUIRE(url.starts_with("https://127.0.0.1:"));
    }
    ~SandboxProcess() {
        CHECK_MESSAGE(child.stop() == 0, "rcbatch sandbox did not stop cleanly on SIGTERM");
    }
    static std::vector<std::string> args(std::uint64_t seed, std::vector<std::string> extra) {
        std::vector<std::string> a{"--seed", std::to_string(seed)};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    rcbatch::test::SandboxChild child;
    std::string url, userid, key, ca_file;
};

inline std::string profile_file(const fs::path& dir, const std::string& userid,
                                const std::string& url, const std::string& ca,
                                const std::string& key_env = "RCBATCH_API_KEY") {
    const fs::path path = dir / "profiles.toml";
    std::ofstream(path) << "[profiles.t]\nenvironment = \"test\"\nauth-userid = " << userid
                        << "\nendpoint = \"" << url << "\"\nca-file = \"" << ca
                        << "\"\napi-key-env = \"" << key_env << "\"\n";
    return path.string();
}

inline std::string job_file(const fs::path& dir, const std::string& name, const std::string& action,
                            const std::vector<std::int64_t>& ids, const std::string& extra = "") {
    const fs::path path = dir / (name + ".toml");
    std::ofstream out(path);
    out << "name = \"" << name << "\"\naction = \"" << action
        << "\"\nregion = \"us\"\nprofile = \"t\"\n"
        << extra << "\n[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n\n[run]\nconcurrency = 4\nrate = 0.0\ntimeout = \"2s\"\n"
        << "retry = { attempts = 3, base = \"10ms\", max = \"100ms\" }\n";
    return path.string();
}

inline void check_no_key(const std::string& key, const std::vector<std::string>& texts) {
    REQUIRE(!key.empty());
    for (const auto& t : texts) CHECK(t.find(key) == std::string::npos);
}

}  // namespace
