#pragma once
// Everything `rcbatch run` settles before the first request: the job, the merged settings,
// where the API is and who we are there. Every user mistake becomes a one-line message and
// exit code 2, before anything is sent.

#include "config/job.hpp"
#include "config/profile.hpp"
#include "config/run_settings.hpp"
#include "engine/batch/batch.hpp"
#include "engine/defaults.hpp"
#include "engine/net/endpoint.hpp"
#include "engine/net/tls_context.hpp"
#include "engine/report/progress.hpp"
#include "engine/secret/private_memory.hpp"
#include "jobs/api/verification_fields.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/select/search_selector.hpp"

#include <map>
#include <optional>
#include <string>

namespace rcbatch::cli {

// What the command line says about a run.
struct RunFlags {
    std::string command = "run";  // or "plan": what every message starts with
    std::string job_file;
    std::string profile;
    std::string config;
    std::string report_dir;
    std::string csv;  // --csv: "safe" or "raw"; empty: the job's or the profile file's
    std::optional<int> concurrency;
    std::optional<double> rate;
    bool sandbox = false;
    bool live = false;
    bool quiet = false;
    bool progress = false;
    bool json_log = false;
    bool dry_run = false;     // rcbatch plan, run --dry-run
    std::string plan_dir;     // run --plan DIR: exactly the orders of that plan
    std::string resume_dir;   // run --resume DIR: continue that run
    bool no_journal = false;  // benchmarks only; refused on a live profile
    bool no_ledger = false;   // benchmarks only; refused on a live profile
};

// Where the API is and how to authenticate: from a profile, or from the in-process sandbox.
struct ApiAccess {
    engine::Endpoint endpoint;
    engine::TlsSettings tls;
    std::string auth_userid;
    engine::WipedString api_key;               // a secret: never printed
    std::string environment;                   // "test", "live" or "sandbox"
    std::map<std::string, std::string> paths;  // action name -> path override
    std::string email_verification_field = jobs::default_email_verification_field;
    std::string ekyc_verification_field = jobs::default_ekyc_verification_field;
    std::vector<std::string> nixi_product_keys = jobs::default_nixi_product_keys();
    std::chrono::milliseconds repeat_guard = defaults::repeat_guard;
    std::chrono::milliseconds reconcile_settle = defaults::reconcile_settle;
    bool action_log = true;
    std::map<std::string, std::vector<std::string>> action_types;
    std::string action_scan_order = "auto";
    std::chrono::milliseconds action_scan_max_age = defaults::action_scan_max_age;
    bool batch_reads = true;
    std::int64_t batch_read_size = defaults::batch_read_size;
    std::chrono::milliseconds batch_read_max_age = defaults::batch_read_max_age;
    bool embedded_sandbox = false;  // --sandbox: a fresh server on a new port every run

    // Whose orders these are: environment/host[:port]/auth-userid (the ledger's account).
    std::string account() const;
    // Where a plan is meant to run: the account; an embedded sandbox is named by its own
    // certificate, so a plan made against one is refused by another (its orders differ).
    std::string plan_account() const;
};

struct RunSetup {
    config::Job job;
    config::RunSettings settings;
};

// Loads the job and merges the settings: built-in defaults, the profile file's [defaults],
// the job's [run], then the flags. Prints the problems and returns nullopt on a bad job.
// `profile_file` is the loaded profile file, when there is one.
std::optional<RunSetup> load_run(const RunFlags& flags,
                                 const std::optional<config::ProfileFile>& profile_file);

// Adds the user's action files and the actions-dir of profile `wanted` (else the profile
// file's default one) to the actions the job may name (README "Action files"); each folder
// once a process. Prints every mistake as one line and returns false on one.
bool add_action_files(const std::optional<config::ProfileFile>& profile_file,
                      const std::string& wanted);

// The loaded profile file named by --config / $RCBATCH_CONFIG / the home folder, if any.
// `ok` is false (and the errors printed) when a named or found file is bad.
std::optional<config::ProfileFile> load_profile_file(const RunFlags& flags, bool& ok);

// Access through the chosen profile: its endpoint (or its environment's host), CA, key, and
// proxy (the profile's `proxy`, else the environment's, see engine/net/proxy.hpp). Prints a
// one-line error and returns nullopt when the profile or its key is missing, when a proxy
// URL from the environment is bad, or when a mutating job would run against a live profile
// without --live.
std::optional<ApiAccess> profile_access(const RunFlags& flags, const RunSetup& setup,
                                        const std::optional<config::ProfileFile>& profile_file);

// The access `profile` gives (its endpoint, CA, proxy, key and API guesses), for `command`'s
// messages. Prints a one-line error and returns nullopt when the endpoint, proxy or key is bad.
std::optional<ApiAccess> access_from_profile(const config::Profile& profile,
                                             const std::string& command);

// The action's setup for this run: its path (region, profile override), auth, params.
std::shared_ptr<jobs::ActionSetup> make_action_setup(const RunSetup& setup, const ApiAccess& access,
                                                     const RunFlags& flags);

// The engine's settings for the run; `tls` must outlive it.
engine::BatchSettings make_batch_settings(const RunSetup& setup, const ApiAccess& access,
                                          boost::asio::ssl::context& tls);

// Progress style from the flags and whether stderr is a terminal.
engine::ProgressOptions make_progress_options(const RunFlags& flags);

// An https:// URL split into an endpoint; nullopt when it is not one.
std::optional<engine::Endpoint> endpoint_from_url(const std::string& url);

}  // namespace rcbatch::cli
