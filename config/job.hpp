#pragma once
// A job file, loaded and checked: what to do, to which orders, with which settings.

#include "config/diagnostics.hpp"
#include "config/run_settings.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/select/search_filter.hpp"
#include "jobs/select/seen_keys.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::config {

// A job's parameter, as the request builder takes it.
using ParamValue = jobs::ParamValue;
using Param = jobs::CallParam;

using SearchFilter = jobs::SearchFilter;

struct Targets {
    enum class Source { none, order_ids, domain_names, file, search };
    Source source = Source::none;
    std::vector<std::int64_t> order_ids;
    std::vector<std::string> domain_names;
    std::filesystem::path file;             // absolute, or relative to the working directory
    std::vector<std::string> keep_columns;  // a file's columns carried into the reports
    SearchFilter search;                    // with its exclusions (exclude-order-ids, exclude-file)
    std::filesystem::path exclude_file;     // absolute, or relative to the working directory
    int line = 0;                           // where [targets] is, for later messages
};

struct Job {
    std::filesystem::path file;
    std::string name;
    const jobs::ActionSpec* action = nullptr;
    std::string region;   // "us" / "asia" for backup.* actions, else empty
    std::string profile;  // empty: the config's default
    Targets targets;
    std::vector<Param> params;  // in file order
    RunOverrides run;
    bool preflight = true;  // read each order before changing it, and skip what needs nothing
    std::optional<std::chrono::milliseconds>
        min_interval;  // nixi.resend: since this job's last resend
    std::optional<std::chrono::milliseconds> renew_if_expires_within;  // backup.renew guard
    bool repeat_resend = true;  // nixi.resend: resend when a resend's answer was lost
    // No change twice to one order within this, across runs and jobs (the ledger); 0: off.
    std::optional<std::chrono::milliseconds> repeat_guard;
    // How long a lost answer's reconciliation waits before its last look at the evidence.
    std::optional<std::chrono::milliseconds> reconcile_settle;
};

struct JobLoad {
    std::optional<Job> job;  // set only when `errors` is empty
    Diagnostics errors;
};

// Loads and checks a job file against the action registry. Never throws for a user's mistake:
// every problem found is one Diagnostic. A `[targets] file` is checked for repeated orders with
// an index from `seen_keys` (jobs/select/seen_keys.hpp: rcbatch passes its on-disk one, whose
// memory stays flat; tests pass jobs::seen_keys_in_memory).
JobLoad load_job(const std::filesystem::path& file, const jobs::SeenKeysMaker& seen_keys);

// The profile a job file names (`profile = "..."`), read before the job itself so that the
// profile's action files are there when the job's action is looked up; "" when it names none
// or cannot be read (load_job then says why).
std::string job_profile_name(const std::filesystem::path& file);

// What a TOML file is, by its keys: an action file declares a `class` and no `action`.
bool is_action_file(const std::filesystem::path& file);

// Target sources a `[targets]` table may name, and the keys of `search`.
const std::vector<std::string_view>& target_source_keys();
const std::vector<std::string_view>& search_filter_keys();

}  // namespace rcbatch::config
