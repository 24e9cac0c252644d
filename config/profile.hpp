#pragma once
// The profile file (~/.config/rcbatch/config.toml): where the API is and who we are there.

#include "config/diagnostics.hpp"
#include "config/run_settings.hpp"
#include "jobs/api/verification_fields.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::config {

struct Profile {
    std::string name;
    std::string environment;  // "test" or "live"
    std::int64_t auth_userid = 0;
    std::string api_key_env = "RCBATCH_API_KEY";
    std::filesystem::path api_key_file;  // when set, the key is read from here instead
    std::string endpoint;                // https://host[:port]; empty: the environment's host
    std::filesystem::path ca_file;       // an extra CA to trust
    std::filesystem::path actions_dir;   // the profile's action files (README "Action files")
    // `proxy = "http://[user:password@]host[:port]"`: the HTTP proxy to tunnel through, which
    // wins over HTTPS_PROXY / ALL_PROXY / NO_PROXY; `proxy = ""`: no proxy, whatever the
    // environment says; nullopt (no key): the environment decides (engine/net/proxy.hpp).
    std::optional<std::string> proxy;
    std::map<std::string, std::string> paths;  // action name -> path override
    // NIXI names api.md marks as guesses: the verification fields of domains/details.json
    // and the product keys a domain search selects by default.
    std::string email_verification_field = jobs::default_email_verification_field;
    std::string ekyc_verification_field = jobs::default_ekyc_verification_field;
    std::vector<std::string> nixi_product_keys = {"dotin", "thirdleveldotin", "dotbharat"};
    // The ledger's cross-run guard window (a job's own wins); unset: 24h.
    std::optional<std::chrono::milliseconds> repeat_guard;
    std::optional<std::chrono::milliseconds> reconcile_settle;  // unset: 10s
    bool action_log = true;  // read the action log after a lost answer (api.md §6)
    std::map<std::string, std::vector<std::string>> action_types;  // action -> the log's types
    // The account's action lists as the repeat guard reads them: their order by eaqid across
    // pages (api.md does not say), and the last look's age at most when a change leaves.
    std::string action_scan_order = "auto";  // auto | ascending | descending | unsorted
    std::optional<std::chrono::milliseconds> action_scan_max_age;  // unset: 60s
    // The preflight reads many orders in one search (issue #20): on, how many a call, and the
    // age at most of such a read when the change is judged.
    bool batch_reads = true;
    std::optional<std::int64_t> batch_read_size;                  // unset: 200
    std::optional<std::chrono::milliseconds> batch_read_max_age;  // unset: 60s
    int line = 0;
};

struct ProfileFile {
    std::filesystem::path file;
    std::map<std::string, Profile> profiles;
    RunOverrides defaults;
    std::string default_profile;  // [defaults] profile; empty: the only profile, if one
};

struct ProfileLoad {
    std::optional<ProfileFile> config;  // set only when `errors` is empty
    Diagnostics errors;
};

// The auth-userid `rcbatch init` writes for the user to replace; refused wherever it is read.
constexpr std::int64_t placeholder_userid = 0;

// Loads and checks a profile file. Never throws for a user's mistake.
ProfileLoad load_profile_file(const std::filesystem::path& file);

// The host an environment talks to: "test.httpapi.com" or "httpapi.com".
std::string_view environment_host(std::string_view environment);

// The profile file to use: `explicit_path` if given, else $RCBATCH_CONFIG, else
// $XDG_CONFIG_HOME/rcbatch/config.toml or ~/.config/rcbatch/config.toml when it exists.
// nullopt when none is named and none exists.
std::optional<std::filesystem::path> find_profile_file(const std::string& explicit_path);

// The profile a job runs with: `wanted` (job or --profile), else the file's default.
// Returns an error message (one line) when there is no such profile.
const Profile* choose_profile(const ProfileFile& file, const std::string& wanted,
                              std::string& error);

// The API key of `profile`, from its key file or its environment variable. On failure returns
// nullopt and sets `error` to a one-line message that never contains the key.
std::optional<std::string> resolve_api_key(const Profile& profile, std::string& error);

}  // namespace rcbatch::config
