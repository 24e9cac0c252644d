#pragma once
// The state directory: what spans runs (the ledger, the job locks, run folders by default).
// $RCBATCH_STATE_DIR, else $XDG_STATE_HOME/rcbatch, else $HOME/.local/state/rcbatch.

#include <filesystem>
#include <optional>
#include <string>

namespace rcbatch::jobs {

// The state directory the environment names; nullopt when it names none (no HOME either).
std::optional<std::filesystem::path> state_dir_from_env();

// Creates `dir` and its missing parents, each mode 0700 (folders that exist are left as they
// are). Throws std::runtime_error naming the folder and the cause.
void make_private_dir(const std::filesystem::path& dir);

// Where the lock of `job` on `account` lives: <state>/locks/<account>/<job>/ (the account's
// '/' and ':' made '_'), so no working directory or report folder can let a job overlap itself.
std::filesystem::path job_lock_dir(const std::filesystem::path& state_dir,
                                   const std::string& account, const std::string& job);

}  // namespace rcbatch::jobs
