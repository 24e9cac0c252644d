#pragma once
// The end-to-end doubts tests' setting: `rcbatch sandbox` as a child process (its state
// outlives each run), a profile for it with a short reconcile-settle, a state directory and a
// reports folder of the test's own, and the built binary run as a user runs it.

#include "jobs/actions/registry.hpp"
#include "jobs/order/preflight.hpp"
#include "sandbox/api/service.hpp"
#include "sandbox/server/options.hpp"
#include "tests/support/files.hpp"
#include "tests/support/killed_run.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace rcbatch::test {

// Active US backup orders of the sandbox's own reseller (the seed is the child's default).
inline std::vector<std::uint64_t> active_us_orders(std::size_t most) {
    sandbox::Service service(sandbox::Options{});
    std::vector<std::uint64_t> ids;
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == sandbox::OrderKind::backup && order.region == "us" &&
            order.status == "Active" && !order.pending && ids.size() < most)
            ids.push_back(id);
    return ids;
}

struct DoubtsSetup {
    explicit DoubtsSetup(std::vector<std::string> sandbox_args = {},
                         const std::string& profile_extra = "")
        : sandbox((tmp.path / "ca.pem").string(), std::move(sandbox_args)) {
        sandbox.write_profile(profile);
        std::ofstream(profile, std::ios::app) << "reconcile-settle = \"200ms\"\n" << profile_extra;
        env = {{"RCBATCH_API_KEY", sandbox.api_key}, {"RCBATCH_STATE_DIR", state.string()}};
    }

    // A backup.renew job of `name` over `ids` (or a [targets] file when `file` is given).
    fs::path job(const std::string& name, const std::vector<std::uint64_t>& ids,
                 const fs::path& file = {}) const {
        const fs::path path = tmp.path / (name + ".toml");
        std::ofstream out(path);
        out << "name = \"" << name << "\"\naction = \"backup.renew\"\nregion = \"us\"\n"
            << "[targets]\n";
        if (!file.empty()) {
            out << "file = \"" << file.string() << "\"\n";
        } else {
            out << "order-ids = [";
            for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
            out << "]\n";
        }
        out << "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n"
            << "[run]\nconcurrency = 2\nrate = 0\n";
        return path;
    }

    RunResult rcbatch(std::vector<std::string> args) const {
        return run_rcbatch(std::move(args), env);
    }
    RunResult run(const fs::path& job, std::vector<std::string> more = {}) const {
        std::vector<std::string> args{"run",          job.string(),    "--config", profile.string(),
                                      "--report-dir", reports.string()};
        args.insert(args.end(), more.begin(), more.end());
        return rcbatch(args);
    }

    // The newest run folder of `job`.
    fs::path last_run(const std::string& job) const {
        fs::path newest;
        for (const auto& e : fs::directory_iterator(reports / job))
            if (e.is_directory() && e.path().filename() > newest.filename()) newest = e.path();
        return newest;
    }

    // The ledger account runs of this profile use, as a plan's summary names it.
    std::string account() const {
        const auto plan = run(job("probe", active_us_orders(1)), {"--dry-run", "--quiet"});
        REQUIRE(plan.exit_code == 0);
        return text_of(boost::json::parse(slurp(last_run("probe") / "summary.json"))
                           .as_object()
                           .at("account"));
    }

    // A run of job `name` killed -9 after sending its renews of `ids` (which never reached
    // the API), in this setting's reports folder and state directory.
    KilledRun killed(const std::string& name, const std::vector<std::uint64_t>& ids,
                     std::int64_t at) const {
        KilledRunPlace place{reports, state, account(), {}};
        for (auto id : ids)
            place.orders.push_back({id, jobs::state_of(sandbox.admin("/_sandbox/order?order-id=" +
                                                                     std::to_string(id)))});
        jobs::ActionSetup action;
        action.spec = jobs::find_action("backup.renew");
        action.params = renew_params(1);
        return make_killed_run(place, name, action, at);
    }

    std::uint64_t applied(std::uint64_t id) const {
        const auto c = sandbox.counters("backup.renew");
        const auto it = c.find(std::to_string(id));
        return it == c.end() ? 0 : it->second.second;
    }

    TempDir tmp{"rcbatch-e2e-doubts"};
    SandboxChild sandbox;
    fs::path profile = tmp.path / "profile.toml";
    fs::path reports = tmp.path / "reports";
    fs::path state = tmp.path / "state";
    std::map<std::string, std::string> env;
};

}  // namespace rcbatch::test
