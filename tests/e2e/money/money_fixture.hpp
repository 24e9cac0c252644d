#pragma once
// What the money and per-order-parameter tests share: a `rcbatch sandbox` child with a
// profile for it, the orders its seed makes, a job file written from parts, and rcbatch run
// against it with the key in the environment.

#include "sandbox/api/faults.hpp"
#include "sandbox/api/service.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace rcbatch::test::money {

namespace fs = std::filesystem;
namespace json = boost::json;

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::vector<json::object> read_jsonl(const fs::path& path) {
    std::vector<json::object> out;
    std::istringstream lines(slurp(path));
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty()) out.push_back(json::parse(line).as_object());
    return out;
}

// The run folder of `job` under `reports` (the only one, or the newest).
inline fs::path newest_run(const fs::path& reports, const std::string& job) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports / job, ec))
        if (e.is_directory()) found.push_back(e.path());
    std::sort(found.begin(), found.end());
    return found.empty() ? fs::path{} : found.back();
}

struct MoneyFixture {
    static constexpr std::uint64_t seed = 11;

    MoneyFixture() = default;
    // A sandbox with the fault spec `faults` (sandbox/api/faults.hpp), which `fault_spec` holds so
    // a test can tell each order's fault in advance (sandbox::decide_fault).
    explicit MoneyFixture(const std::string& faults)
        : sb{(tmp.path / "ca.pem").string(), {"--seed", std::to_string(seed), "--faults", faults}},
          fault_spec(sandbox::parse_fault_spec(faults)) {}

    TempDir tmp{"rcbatch-e2e-money"};
    SandboxChild sb{(tmp.path / "ca.pem").string(), {"--seed", std::to_string(seed)}};
    sandbox::FaultSpec fault_spec;
    sandbox::Service data = seeded();
    fs::path config = sb.write_profile(tmp.path / "profiles.toml", "sandbox", "test");
    fs::path reports = tmp.path / "reports";

    sandbox::Service seeded() const {
        sandbox::Options o;
        o.seed = seed;
        o.now = unix_now();
        return sandbox::Service(o);
    }

    // Up to `n` of the reseller's Active US backups (no pending action) that `keep` accepts.
    std::vector<const sandbox::Order*> active_us(
        std::size_t n, const std::function<bool(const sandbox::Order&)>& keep = {}) const {
        std::vector<const sandbox::Order*> out;
        for (const auto& [id, o] : data.data().orders)
            if (out.size() < n && o.reseller_id == data.credentials().userid &&
                o.kind == sandbox::OrderKind::backup && o.region == "us" && o.status == "Active" &&
                !o.pending && (!keep || keep(o)))
                out.push_back(&o);
        return out;
    }

    // Writes `name`.toml beside `csv_name` (written from `csv`), `rest` after [targets] and
    // `run` in [run]; returns the job's path.
    fs::path write_job(const std::string& name, const std::string& action,
                       const std::string& csv_name, const std::string& csv, const std::string& rest,
                       const std::string& run = "") const {
        std::ofstream(tmp.path / csv_name) << csv;
        const fs::path job = tmp.path / (name + ".toml");
        std::ofstream(job) << "name = \"" << name << "\"\naction = \"" << action
                           << "\"\nregion = \"us\"\nprofile = \"sandbox\"\n\n[targets]\nfile = \""
                           << csv_name << "\"\n"
                           << rest << "\n[run]\nconcurrency = 4\nrate = 0.0\ntimeout = \"5s\"\n"
                           << run;
        return job;
    }

    RunResult rcbatch(const std::string& command, const fs::path& job,
                      std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{command,         job.string(),   "--config",
                                      config.string(), "--report-dir", reports.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return rcbatch(args);
    }
    // rcbatch with `args` as they are, the key and the state directory in the environment.
    RunResult rcbatch(const std::vector<std::string>& args) const {
        return run_rcbatch(args, {{"RCBATCH_API_KEY", sb.api_key},
                                  {"RCBATCH_STATE_DIR", (tmp.path / "state").string()}});
    }

    json::object order(const std::string& id) const {
        return sb.admin("/_sandbox/order?order-id=" + id);
    }
};

}  // namespace rcbatch::test::money
