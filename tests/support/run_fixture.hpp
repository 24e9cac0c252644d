#pragma once
// Runs jobs in-process (jobs::run_job) against a BackgroundSandbox on 127.0.0.1 and reads back
// the run folder: the one run fixture of the integration tests (run, never_twice, selectors).
// Small timeouts and retry bases keep the suites quick; every run is bounded (run_bounded):
// a run that outlives its limit aborts the test program, so it cannot hang CI.

#include "engine/net/tls_context.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/run/run_job.hpp"
#include "jobs/select/search_selector.hpp"
#include "jobs/select/target_sources.hpp"
#include "sandbox/server/background.hpp"
#include "tests/support/files.hpp"
#include "tests/support/job_setup.hpp"
#include "tests/support/run_output.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace rcbatch::test {

using namespace std::chrono_literals;

inline sandbox::Options run_options(std::uint64_t seed = 7) {
    sandbox::Options o;
    o.seed = seed;
    o.sizes.backups_per_region = 60;
    o.sizes.domains = 40;
    o.faults.stall_time = 3s;  // longer than any attempt timeout below; cut at stop anyway
    return o;
}

inline std::vector<std::int64_t> as_ids(const std::vector<std::uint64_t>& ids) {
    return {ids.begin(), ids.end()};
}
inline std::vector<std::int64_t> as_ids(const std::set<std::uint64_t>& ids) {
    return {ids.begin(), ids.end()};
}

// What settings() gives and whose ledger account the runs use.
struct FixtureDefaults {
    int concurrency = 4;
    int attempts = 5;  // per request
    std::chrono::milliseconds attempt_timeout = 2s;
    std::string account = "run-fixture";  // the runs' account: "sandbox/<this>/<userid>"
};

// A job for RunFixture::run(Job): an action and its targets (a source or a search).
struct Job {
    std::string name = "sel-job";
    std::shared_ptr<jobs::ActionSetup> action;
    std::optional<jobs::SearchSelector> search;
    std::unique_ptr<engine::TargetSource> source;
    std::int64_t max_orders = 1'000'000;
    bool dry_run = false;
};

struct RunFixture {
    explicit RunFixture(sandbox::Options options = run_options(), FixtureDefaults d = {})
        : now(options.now),
          attempts(d.attempts),
          defaults(std::move(d)),
          sb(std::move(options)),
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
    // The state directory's folder under `reports`: a test may move the runs to another one.
    std::string state_folder = "state";
    fs::path state_dir() const { return reports / state_folder; }
    std::string account() const { return "sandbox/" + defaults.account + "/" + sb.userid(); }
    // Each run stops as on SIGINT after this long (run --max-runtime); 0: never.
    std::chrono::milliseconds max_runtime{0};

    // Settings for quick tests: no rate cap, small retry bases, timeouts well under a second
    // where a test waits for them. `concurrency` 0: the fixture's default.
    engine::BatchSettings settings(int concurrency = 0) {
        return sandbox_settings(sb, tls, concurrency > 0 ? concurrency : defaults.concurrency,
                                attempts, defaults.attempt_timeout);
    }

    // The action as `rcbatch run` sets it up: preflight on (a changing action reads the order
    // first), unless `preflight` is false.
    std::shared_ptr<jobs::ActionSetup> action(std::string_view name, std::string_view region = "us",
                                              std::vector<jobs::CallParam> params = {},
                                              bool preflight = true) {
        return sandbox_action(sb, name, region, std::move(params), preflight);
    }

    // Runs the job and reads its run folder; the run must start. `limit` bounds the whole run.
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
        RunOutput out = run_request(std::move(request), limit);
        CHECK_MESSAGE(out.report.message.empty(), "the run did not start: " << out.report.message);
        return out;
    }
    // Continues the run in `dir` (run --resume), the path as given: a trailing '/', a symlink.
    RunOutput resume(std::shared_ptr<jobs::ActionSetup> action, const fs::path& dir,
                     engine::BatchSettings batch, const std::string& job = "test-job",
                     std::chrono::seconds limit = 40s) {
        jobs::RunRequest request;
        request.job_name = job;
        batch.action = std::string(action->spec->name);
        request.action = std::move(action);
        request.batch = std::move(batch);
        request.resume = dir;
        request.max_orders = 1'000'000;
        RunOutput out = run_request(std::move(request), limit);
        CHECK_MESSAGE(out.report.message.empty(), "the run did not start: " << out.report.message);
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

    // Runs `job` with settings() (a plan when job.dry_run); it may be refused.
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
        request.dry_run = job.dry_run;
        return run_request(std::move(request), limit);
    }

    // Own orders (of the sandbox's reseller) that satisfy `pred`, by id, read on the
    // sandbox's thread.
    template <class Pred>
    std::vector<std::uint64_t> own_orders(Pred pred, std::size_t most = 1'000'000) {
        std::vector<std::uint64_t> ids;
        for (auto id : own(pred))
            if (ids.size() < most) ids.push_back(id);
        return ids;
    }
    template <class Pred>
    std::set<std::uint64_t> own(Pred pred) {
        return orders_of(true, pred);
    }
    // Orders of the other reseller.
    template <class Pred>
    std::set<std::uint64_t> foreign(Pred pred) {
        return orders_of(false, pred);
    }
    std::uint64_t foreign_order(sandbox::OrderKind kind, std::string_view region = "") {
        const auto ids = foreign([&](const sandbox::Order& o) {
            return o.kind == kind && (region.empty() || o.region == region);
        });
        return ids.empty() ? 0 : *ids.begin();
    }
    sandbox::Order order(std::uint64_t id) { return sandbox_order(sb, id); }
    // A renew by 12 months made in the reseller panel `age` seconds ago; its action id.
    std::string panel_renew(std::uint64_t id, std::int64_t age) {
        const auto reply =
            sb.call([&](sandbox::Server& s) { return s.service().panel_renew(id, 12, age); });
        REQUIRE(reply.status == boost::beast::http::status::ok);
        return std::string(json::parse(reply.body).at("eaqid").as_string());
    }
    sandbox::Counter counter(std::uint64_t id, std::string_view action) {
        return sandbox_counter(sb, id, action);
    }
    sandbox::Stats stats() {
        return sb.call([](sandbox::Server& s) { return s.stats(); });
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

    const std::int64_t now;  // the sandbox's seed clock (0: the real one)
    int attempts;            // per request, in settings()
    FixtureDefaults defaults;
    sandbox::BackgroundSandbox sb;
    boost::asio::ssl::context tls;
    fs::path reports;

  private:
    // The fixture's state directory, account and progress; then the run, bounded, and its folder.
    RunOutput run_request(jobs::RunRequest request, std::chrono::seconds limit) {
        request.reports = reports;
        if (ledger) {
            request.state_dir = state_dir();
            request.account = account();
            request.repeat_guard = repeat_guard;
        }
        request.progress = progress;
        request.max_runtime = max_runtime;
        const bool dry_run = request.dry_run;
        auto printed = std::make_shared<std::ostringstream>();
        request.out = printed.get();
        RunResult report = run_bounded(std::move(request), limit);
        return read_run(std::move(report), printed->str(), dry_run);
    }

    // Orders of the sandbox's own reseller (`own`) or of the other one that satisfy `pred`.
    template <class Pred>
    std::set<std::uint64_t> orders_of(bool own, Pred pred) {
        return sb.call([&](sandbox::Server& s) {
            std::set<std::uint64_t> ids;
            for (const auto& [id, o] : s.service().data().orders)
                if ((o.reseller_id == s.userid()) == own && pred(o)) ids.insert(id);
            return ids;
        });
    }
};

// Backup orders of a region the renew/delete/install handlers accept.
inline auto active_backup(std::string_view region) {
    return [region = std::string(region)](const sandbox::Order& o) {
        return o.kind == sandbox::OrderKind::backup && o.region == region && o.status == "Active" &&
               !o.pending;
    };
}

}  // namespace rcbatch::test
