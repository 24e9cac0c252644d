#include "jobs/state/state_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::jobs {

namespace {
std::optional<std::string> env_text(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

// The private state directory of the caller, from XDG_STATE_HOME or HOME.
std::optional<std::filesystem::path> private_dir(const StateEnv& env) {
    if (env.xdg_state_home) return std::filesystem::path(*env.xdg_state_home) / "rcbatch";
    if (env.home) return std::filesystem::path(*env.home) / ".local" / "state" / "rcbatch";
    return std::nullopt;
}

bool same_folder(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec) || a.lexically_normal() == b.lexically_normal();
}

void make_dir(const std::filesystem::path& at, mode_t mode) {
    if (::mkdir(at.c_str(), mode) == 0) {
        if (mode != 0700) ::chmod(at.c_str(), mode);  // the umask does not decide it
        return;
    }
    if (errno != EEXIST)
        throw std::runtime_error("cannot create " + at.string() + ": " + std::strerror(errno));
}
}  // namespace

StateEnv state_env() {
    StateEnv env;
    env.state_dir = env_text("RCBATCH_STATE_DIR");
    env.xdg_state_home = env_text("XDG_STATE_HOME");
    env.home = env_text("HOME");
    if (auto shared = env_text("RCBATCH_SHARED_STATE_DIR")) env.shared = *shared;
    struct stat st {};
    env.shared_exists = ::stat(env.shared.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    env.shared_writable = env.shared_exists && ::access(env.shared.c_str(), W_OK | X_OK) == 0;
    return env;
}

std::optional<StateDirChoice> choose_state_dir(const StateEnv& env) {
    const std::string shared = env.shared.string();
    if (env.state_dir) {
        StateDirChoice c{*env.state_dir, {}};
        if (env.shared_exists && !same_folder(c.dir, env.shared))
            c.note = "this run uses the ledger in " + c.dir.string() +
                     " ($RCBATCH_STATE_DIR), not the machine's shared one in " + shared +
                     ": runs that use that one do not guard this one, nor this one them";
        return c;
    }
    if (env.shared_writable) return StateDirChoice{env.shared, {}};
    auto own = private_dir(env);
    if (!own) return std::nullopt;
    StateDirChoice c{*own, {}};
    if (env.shared_exists)
        c.note = "the machine's shared ledger in " + shared +
                 " is not writable for you (join the group rcbatch): this run uses the private "
                 "one in " +
                 own->string() + ", which runs of other users do not see";
    return c;
}

std::optional<std::filesystem::path> state_dir_from_env() {
    auto choice = choose_state_dir(state_env());
    if (!choice) return std::nullopt;
    return choice->dir;
}

std::filesystem::path default_runs_dir(const std::filesystem::path& state_dir) {
    if (group_shared(state_dir)) {
        StateEnv env = state_env();
        if (auto own = private_dir(env); own && !same_folder(*own, state_dir)) return *own / "runs";
    }
    return state_dir / "runs";
}

bool group_shared(const std::filesystem::path& dir) {
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWGRP) != 0;
}

void make_private_dir(const std::filesystem::path& dir) {
    std::filesystem::path at;
    for (const auto& part : dir.lexically_normal()) {
        at /= part;
        if (part.empty()) continue;
        make_dir(at, 0700);
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw std::runtime_error(dir.string() + " is not a folder");
}

void make_state_folder(const std::filesystem::path& state_dir, const std::filesystem::path& dir) {
    if (!group_shared(state_dir)) return make_private_dir(dir);
    const auto inside = dir.lexically_normal().lexically_relative(state_dir.lexically_normal());
    std::filesystem::path at = state_dir;
    for (const auto& part : inside) {
        if (part.empty() || part == ".") continue;
        at /= part;
        make_dir(at, 02770);
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw std::runtime_error(dir.string() + " is not a folder");
}

std::filesystem::path job_lock_dir(const std::filesystem::path& state_dir,
                                   const std::string& account, const std::string& job) {
    std::string folder = account;
    for (char& c : folder)
        if (c == '/' || c == ':' || c == '\\') c = '_';
    return state_dir / "locks" / folder / job;
}

}  // namespace rcbatch::jobs
