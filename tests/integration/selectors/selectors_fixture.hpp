#pragma once
// Jobs run in-process (jobs::run_job) against a BackgroundSandbox on 127.0.0.1 whose seed
// data is pinned to a known `now`, so a test can compute from the sandbox's own data which
// orders a search must select, and compare with the run's targets.jsonl and records. Every
// run is bounded: run_job goes on a thread and a run that outlives its limit aborts the
// test program (it cannot hang CI).

#include "engine/tls_context.hpp"
#include "jobs/registry.hpp"
#include "jobs/run_history.hpp"
#include "jobs/run_job.hpp"
#include "jobs/search_selector.hpp"
#include "jobs/target_sources.hpp"
#include "sandbox/background.hpp"
#include "tests/support/files.hpp"
#include "tests/support/job_setup.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace rcbatch::test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline constexpr std::int64_t day_seconds = 24 * 3600;

// Several search pages of 500 per region, and of domains.
inline sandbox::Options selector_options(std::int64_t now, std::uint64_t seed = 11) {
    sandbox::Options o;
    o.seed = seed;
    o.now = now;
    o.sizes.backups_per_region = 1234;
    o.sizes.domains = 1100;
    return o;
}

inline std::vector<json::object> read_jsonl(const fs::path& path) {
    std::vector<json::object> out;
    std::istringstream lines(slurp(path));
    std::string line;
    while (std::getline(lines, line)) out.push_back(json::parse(line).as_object());
    return out;
}

inline std::string field(const json::object& record, std::string_view name) {
    const auto* v = record.at("fields").as_object().if_contains(name);
    return v ? text_of(*v) : std::string("<absent>");
}

// What a run left behind.
struct RunOutput {
    RunResult report;
    std::vector<json::object> targets;         // targets.jsonl
    std::vector<json::object> records;         // results.jsonl, or plan.jsonl for a dry run
    std::map<std::string, std::string> files;  // every file of the run folder, by name
    std::string printed;

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

struct Job {
    std::string name = "sel-job";
    std::shared_ptr<jobs::ActionSetup> action;
    std::optional<jobs::SearchSelector> search;
    std::unique_ptr<engine::TargetSource> source;
    std::int64_t max_orders = 1'000'000;
    bool dry_run = false;
};

inline RunOutput read_run(RunResult report, std::string printed, bool dry_run) {
    RunOutput out;
    out.report = std::move(report);
    out.printed = std::move(printed);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out.report.dir, ec))
        out.files[e.path().filename().string()] = slurp(e.path());
    if (fs::exists(out.report.dir / "targets.jsonl"))
        out.targets = read_jsonl(out.report.dir / "targets.jsonl");
    const fs::path records = out.report.dir / (dry_run ? "plan.jsonl" : "results.jsonl");
    if (fs::exists(records)) out.records = read_jsonl(records);
    return out;
}

struct SelectorFixture {
    // `options.now` must be set: the selector's clock is the seed data's.
    explicit SelectorFixture(sandbox::Options options = selector_options(unix_now()))
        : now(options.now),
          sb(std::move(options)),
          tls(engine::make_client_tls_context(
              {.ca_file = {}, .ca_pem = sb.ca_pem(), .system_ca = false})) {
        static int counter = 0;
        reports =
            fs::temp_directory_path() / ("rcbatch-selectors-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(++counter));
        fs::remove_all(reports);
    }
    ~SelectorFixture() {
        std::error_code ignored;
        fs::remove_all(reports, ignored);
    }

    engine::BatchSettings settings(int concurrency = 8) {
        return sandbox_settings(sb, tls, concurrency, attempts, 5s);
    }

    // The action as `rcbatch run` sets it up (preflight on unless `preflight` is false).
    std::shared_ptr<jobs::ActionSetup> action(std::string_view name, std::string_view region = "us",
                                              std::vector<jobs::CallParam> params = {},
                                              bool preflight = true) {
        return sandbox_action(sb, name, region, std::move(params), preflight);
    }

    // min-interval as `rcbatch run` wires it: the run reads the ledger of the fixture's state
    // directory (one account: this sandbox).
    void with_min_interval(jobs::ActionSetup& a, const std::string&,
                           std::chrono::seconds interval) {
        a.flow.preflight_options.min_interval = interval;
    }

    jobs::SearchSelector search(const jobs::SearchFilter& filter, jobs::TargetKind kind,
                                std::string_view region = "us") {
        return jobs::make_search_selector(filter, kind, region, now,
                                          jobs::default_nixi_product_keys());
    }

    RunOutput run(Job job, std::chrono::seconds limit = 50s) {
        REQUIRE(job.action != nullptr);
        jobs::RunRequest request;
        request.job_name = job.name;
        request.batch = settings();
        request.batch.action = std::string(job.action->spec->name);
        job.action->flow.dry_run = job.dry_run;
        request.action = job.action;
        request.source = std::move(job.source);
        request.search = std::move(job.search);
        request.max_orders = job.max_orders;
        request.reports = reports;
        request.state_dir = reports / "state";
        request.account = "sandbox/selectors/" + sb.userid();
        request.progress.style = engine::ProgressStyle::quiet;
        request.dry_run = job.dry_run;
        auto printed = std::make_shared<std::ostringstream>();
        request.out = printed.get();
        RunResult report = run_bounded(std::move(request), limit);
        return read_run(std::move(report), printed->str(), job.dry_run);
    }

    // Own orders (of the sandbox's reseller) that satisfy `pred`, read on the sandbox's thread.
    template <class Pred>
    std::set<std::uint64_t> own(Pred pred) {
        return sb.call([&](sandbox::Server& s) {
            std::set<std::uint64_t> ids;
            for (const auto& [id, o] : s.service().data().orders)
                if (o.reseller_id == s.userid() && pred(o)) ids.insert(id);
            return ids;
        });
    }
    // Orders of the other reseller.
    template <class Pred>
    std::set<std::uint64_t> foreign(Pred pred) {
        return sb.call([&](sandbox::Server& s) {
            std::set<std::uint64_t> ids;
            for (const auto& [id, o] : s.service().data().orders)
                if (o.reseller_id != s.userid() && pred(o)) ids.insert(id);
            return ids;
        });
    }
    sandbox::Order order(std::uint64_t id) { return sandbox_order(sb, id); }
    sandbox::Counter counter(std::uint64_t id, std::string_view action) {
        return sandbox_counter(sb, id, action);
    }
    // Requests received for `action` over every order.
    std::uint64_t received(std::string_view action) {
        return sb.call([&](sandbox::Server& s) {
            std::uint64_t n = 0;
            for (const auto& [key, c] : s.service().counters())
                if (key.second == action) n += c.received;
            return n;
        });
    }

    const std::int64_t now;  // the sandbox's seed clock, and the selector's
    int attempts = 3;        // per request, in settings()
    sandbox::BackgroundSandbox sb;
    boost::asio::ssl::context tls;
    fs::path reports;
};

inline std::vector<std::int64_t> as_ids(const std::set<std::uint64_t>& ids) {
    return {ids.begin(), ids.end()};
}

// The first `n` of `ids`.
inline std::set<std::uint64_t> first(const std::set<std::uint64_t>& ids, std::size_t n) {
    std::set<std::uint64_t> out;
    for (auto id : ids)
        if (out.size() < n) out.insert(id);
    return out;
}

inline bool backup_in(const sandbox::Order& o, std::string_view region) {
    return o.kind == sandbox::OrderKind::backup && o.region == region;
}

inline bool nixi_key(std::string_view key) {
    return key == "dotin" || key == "thirdleveldotin" || key == "dotbharat";
}

// The API key appears in no file of the run folder and not in what was printed.
inline void check_no_key(const RunOutput& out, const std::string& key) {
    REQUIRE(!key.empty());
    REQUIRE(!out.files.empty());
    for (const auto& [name, text] : out.files)
        CHECK_MESSAGE(text.find(key) == std::string::npos, name);
    CHECK(out.printed.find(key) == std::string::npos);
}

}  // namespace rcbatch::test
