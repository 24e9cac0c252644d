#pragma once
// Runs jobs in-process (jobs::run_job) against a BackgroundSandbox on 127.0.0.1, with small
// timeouts and retry bases so the suite is quick, and reads back the report files. Every run
// is bounded: run_job goes on a thread and a run that outlives its limit aborts the test
// program (it cannot hang CI).

#include "engine/tls_context.hpp"
#include "jobs/registry.hpp"
#include "jobs/run_job.hpp"
#include "jobs/target_sources.hpp"
#include "sandbox/background.hpp"
#include "tests/support/files.hpp"
#include "tests/support/job_setup.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace rcbatch::test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

inline sandbox::Options run_options(std::uint64_t seed = 7) {
    sandbox::Options o;
    o.seed = seed;
    o.sizes.backups_per_region = 60;
    o.sizes.domains = 40;
    o.faults.stall_time = 3s;  // longer than any attempt timeout below; cut at stop anyway
    return o;
}

// What a run left behind: the report, its files and what it printed.
struct RunOutput {
    RunResult report;
    std::vector<json::object> records;  // results.jsonl, in file order
    std::string jsonl, csv, summary_file, printed;
    std::string every_file;  // everything in the run folder (targets.jsonl too)
    json::object summary;    // summary.json as read back

    // The record whose target is `target` (fails the test when there is not exactly one).
    const json::object& at(const std::string& target) const {
        const json::object* found = nullptr;
        int n = 0;
        for (const auto& r : records)
            if (text_of(r.at("target")) == target) found = &r, ++n;
        REQUIRE_MESSAGE(n == 1, "records for target " << target << ": " << n);
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
};

inline std::vector<std::int64_t> as_ids(const std::vector<std::uint64_t>& ids) {
    return {ids.begin(), ids.end()};
}

struct RunFixture {
    explicit RunFixture(sandbox::Options options = run_options())
        : sb(std::move(options)),
          tls(engine::make_client_tls_context(
              {.ca_file = {}, .ca_pem = sb.ca_pem(), .system_ca = false})) {
        static int counter = 0;
        reports = fs::temp_directory_path() / ("rcbatch-run-test-" + std::to_string(::getpid()) +
                                               "-" + std::to_string(++counter));
        fs::remove_all(reports);
    }
    ~RunFixture() {
        std::error_code ignored;
        fs::remove_all(reports, ignored);
    }

    // How the runs report progress (into RunOutput::printed): nothing, unless a test asks.
    engine::ProgressOptions progress{.style = engine::ProgressStyle::quiet};
    // The runs share a ledger and a job lock in <reports>/state, on one account, as runs of one
    // machine do; a test can turn that off or change the cross-run guard's window.
    bool ledger = true;
    std::chrono::seconds repeat_guard{std::chrono::hours(24)};

    // Settings for quick tests: no rate cap, small retry bases, timeouts well under a second
    // where a test waits for them.
    engine::BatchSettings settings(int concurrency = 4) {
        return sandbox_settings(sb, tls, concurrency, 5, 2s);
    }

    // The action as `rcbatch run` sets it up: preflight on (a changing action reads the order
    // first), unless `preflight` is false.
    std::shared_ptr<jobs::ActionSetup> action(std::string_view name, std::string_view region = "us",
                                              std::vector<jobs::CallParam> params = {},
                                              bool preflight = true) {
        return sandbox_action(sb, name, region, std::move(params), preflight);
    }

    // Runs the job and reads its reports. `limit` bounds the whole run.
    RunOutput run(std::shared_ptr<jobs::ActionSetup> action,
                  std::unique_ptr<engine::TargetSource> source, engine::BatchSettings batch,
                  std::chrono::seconds limit = 40s, const std::string& job = "test-job") {
        jobs::RunRequest request;
        request.job_name = job;
        batch.action = std::string(action->spec->name);
        request.action = std::move(action);
        request.batch = std::move(batch);
        request.source = std::move(source);
        request.max_orders = 1'000'000;
        request.reports = reports;
        if (ledger) {
            request.state_dir = reports / "state";
            request.account = "sandbox/run-fixture/" + sb.userid();
            request.repeat_guard = repeat_guard;
        }
        request.progress = progress;
        auto printed = std::make_shared<std::ostringstream>();
        request.out = printed.get();

        RunOutput out;
        out.report = run_bounded(std::move(request), limit);
        CHECK_MESSAGE(out.report.message.empty(), "the run did not start: " << out.report.message);
        out.printed = printed->str();
        for (const auto& file : fs::directory_iterator(out.report.dir))
            out.every_file += slurp(file.path());
        out.jsonl = slurp(out.report.dir / "results.jsonl");
        out.csv = slurp(out.report.dir / "results.csv");
        out.summary_file = slurp(out.report.dir / "summary.json");
        std::istringstream lines(out.jsonl);
        std::string line;
        while (std::getline(lines, line)) out.records.push_back(json::parse(line).as_object());
        if (!out.summary_file.empty()) out.summary = json::parse(out.summary_file).as_object();
        return out;
    }

    RunOutput run_ids(std::shared_ptr<jobs::ActionSetup> action,
                      const std::vector<std::uint64_t>& ids, engine::BatchSettings batch,
                      std::chrono::seconds limit = 40s) {
        return run(std::move(action), std::make_unique<jobs::OrderIdSource>(as_ids(ids)),
                   std::move(batch), limit);
    }
    RunOutput run_names(std::shared_ptr<jobs::ActionSetup> action,
                        const std::vector<std::string>& names, engine::BatchSettings batch,
                        std::chrono::seconds limit = 40s) {
        return run(std::move(action), std::make_unique<jobs::DomainNameSource>(names),
                   std::move(batch), limit);
    }
    RunOutput run_listing(std::shared_ptr<jobs::ActionSetup> action, engine::BatchSettings batch,
                          std::chrono::seconds limit = 40s) {
        return run(std::move(action), nullptr, std::move(batch), limit);
    }

    // Own orders (of the sandbox's reseller) that satisfy `pred`, by id, read on the
    // sandbox's thread.
    template <class Pred>
    std::vector<std::uint64_t> own_orders(Pred pred, std::size_t most = 1'000'000) {
        return sb.call([&](sandbox::Server& s) {
            std::vector<std::uint64_t> ids;
            for (const auto& [id, o] : s.service().data().orders)
                if (o.reseller_id == s.userid() && pred(o) && ids.size() < most) ids.push_back(id);
            return ids;
        });
    }
    std::uint64_t foreign_order(sandbox::OrderKind kind, std::string_view region = "") {
        return sb.call([&](sandbox::Server& s) -> std::uint64_t {
            for (const auto& [id, o] : s.service().data().orders)
                if (o.reseller_id != s.userid() && o.kind == kind &&
                    (region.empty() || o.region == region))
                    return id;
            return 0;
        });
    }
    sandbox::Order order(std::uint64_t id) { return sandbox_order(sb, id); }
    sandbox::Counter counter(std::uint64_t id, std::string_view action) {
        return sandbox_counter(sb, id, action);
    }
    sandbox::Stats stats() {
        return sb.call([](sandbox::Server& s) { return s.stats(); });
    }

    sandbox::BackgroundSandbox sb;
    boost::asio::ssl::context tls;
    fs::path reports;
};

// Backup orders of a region the renew/delete/install handlers accept.
inline auto active_backup(std::string_view region) {
    return [region = std::string(region)](const sandbox::Order& o) {
        return o.kind == sandbox::OrderKind::backup && o.region == region && o.status == "Active" &&
               !o.pending;
    };
}

// Every report file holds one record per target, and the summary counts them.
// The API key is nowhere in the reports or the printed output.
inline void check_no_key(const RunOutput& out, const std::string& key) {
    REQUIRE(!key.empty());
    CHECK(out.jsonl.find(key) == std::string::npos);
    CHECK(out.csv.find(key) == std::string::npos);
    CHECK(out.summary_file.find(key) == std::string::npos);
    CHECK(out.printed.find(key) == std::string::npos);
    CHECK(out.every_file.find(key) == std::string::npos);
}

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
