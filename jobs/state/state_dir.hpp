#pragma once
// The state directory: what spans runs (the ledger, the job locks, run folders by default).
// $RCBATCH_STATE_DIR, else the machine's shared one (/var/lib/rcbatch/state, which the package
// creates: group rcbatch, setgid, group-writable) when it exists and the caller can write it,
// else $XDG_STATE_HOME/rcbatch, else $HOME/.local/state/rcbatch. One machine, one ledger: runs
// of every user who can write the shared folder guard each other.

#include <filesystem>
#include <optional>
#include <string>

namespace rcbatch::jobs {

// Where the package puts the shared state directory; $RCBATCH_SHARED_STATE_DIR names another
// (tests, other packagings).
inline constexpr const char* default_shared_state_dir = "/var/lib/rcbatch/state";

// What the choice reads, so it is tested without the machine's folders.
struct StateEnv {
    std::optional<std::string> state_dir;       // $RCBATCH_STATE_DIR
    std::optional<std::string> xdg_state_home;  // $XDG_STATE_HOME
    std::optional<std::string> home;            // $HOME
    std::filesystem::path shared = default_shared_state_dir;
    bool shared_exists = false;
    bool shared_writable = false;  // the caller may create files in it
};

struct StateDirChoice {
    std::filesystem::path dir;
    // One line when the run uses a private ledger while the shared one exists; else empty.
    std::string note;
};

// Reads the environment and the shared folder.
StateEnv state_env();

// The state directory `env` names; nullopt when it names none (no HOME either).
std::optional<StateDirChoice> choose_state_dir(const StateEnv& env);

// choose_state_dir(state_env()): the folder only.
std::optional<std::filesystem::path> state_dir_from_env();

// Where run folders go by default: <state>/runs, except in a shared state directory, where each
// user keeps them in the private one ($XDG_STATE_HOME/rcbatch/runs, ...) when there is one.
std::filesystem::path default_runs_dir(const std::filesystem::path& state_dir);

// Whether `dir` is a folder its group may write (the shared state directory): then what rcbatch
// creates in it is group-writable too.
bool group_shared(const std::filesystem::path& dir);

// Creates `dir` and its missing parents, each mode 0700 (folders that exist are left as they
// are). Throws std::runtime_error naming the folder and the cause.
void make_private_dir(const std::filesystem::path& dir);

// Creates `dir` (inside `state_dir`) and its missing parents: 0700, or in a shared state
// directory 02770 (setgid, group-writable, whatever the umask). Throws as make_private_dir.
void make_state_folder(const std::filesystem::path& state_dir, const std::filesystem::path& dir);

// Where the lock of `job` on `account` lives: <state>/locks/<account>/<job>/ (the account's
// '/' and ':' made '_'), so no working directory or report folder can let a job overlap itself.
std::filesystem::path job_lock_dir(const std::filesystem::path& state_dir,
                                   const std::string& account, const std::string& job);

}  // namespace rcbatch::jobs
