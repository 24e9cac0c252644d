#pragma once
// What the crash tests share: finding the run folder a killed run left, and reading its JSON
// Lines files.

#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace rcbatch::test::crash {

// The run folder under <reports>/<job>/ that has a journal, or an empty path.
inline std::filesystem::path journaled_run(const std::filesystem::path& reports,
                                           const std::string& job) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(reports / job, ec))
        if (e.is_directory() && std::filesystem::exists(e.path() / "journal.jsonl"))
            return e.path();
    return {};
}

// Every non-empty line of `file` as a JSON object.
inline std::vector<boost::json::object> jsonl(const std::filesystem::path& file) {
    std::vector<boost::json::object> lines;
    std::istringstream in(slurp(file));
    std::string text;
    while (std::getline(in, text))
        if (!text.empty()) lines.push_back(boost::json::parse(text).as_object());
    return lines;
}

struct KillRounds {
    int kills = 0;
    int completed_early = 0;  // runs that finished before their kill moment
};

// Runs `job` `rounds` times (with `common` options and `env`), each a resume of the run folder
// the first left (`named(run, round)` names it, so that every spelling of it is tried) and each
// killed with SIGKILL at a moment drawn from `moment_ms` once the run has a journal.
template <class Named>
KillRounds kill_rounds(const std::filesystem::path& job, const std::filesystem::path& reports,
                       const std::string& job_name, const std::vector<std::string>& common,
                       const std::map<std::string, std::string>& env, int rounds,
                       std::uniform_int_distribution<int> moment_ms, std::mt19937& rng,
                       Named named) {
    using namespace std::chrono_literals;
    KillRounds out;
    for (int round = 0; round < rounds; ++round) {
        const std::filesystem::path run = journaled_run(reports, job_name);
        std::vector<std::string> args{"run", job.string(), "--report-dir", reports.string()};
        if (!run.empty()) args.insert(args.end(), {"--resume", named(run, round)});
        args.insert(args.end(), common.begin(), common.end());
        ChildProcess child(rcbatch_binary(), args, env);
        // A new run selects its targets first: most kills should land while changes are sent.
        for (int wait = 0; run.empty() && wait < 400 && journaled_run(reports, job_name).empty();
             ++wait)
            std::this_thread::sleep_for(25ms);
        if (auto code = child.wait(std::chrono::milliseconds(moment_ms(rng)))) {
            CAPTURE(child.err());
            CHECK(*code <= 1);  // finished before the kill
            ++out.completed_early;
            continue;
        }
        child.signal(SIGKILL);
        REQUIRE(child.wait(10s).has_value());
        ++out.kills;
    }
    MESSAGE(out.kills << " kills, " << out.completed_early << " runs finished first");
    return out;
}

}  // namespace rcbatch::test::crash
