#include "jobs/state/state_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

namespace rcbatch::jobs {

namespace {
std::optional<std::filesystem::path> env_path(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::filesystem::path(value);
}
}  // namespace

std::optional<std::filesystem::path> state_dir_from_env() {
    if (auto dir = env_path("RCBATCH_STATE_DIR")) return dir;
    if (auto xdg = env_path("XDG_STATE_HOME")) return *xdg / "rcbatch";
    if (auto home = env_path("HOME")) return *home / ".local" / "state" / "rcbatch";
    return std::nullopt;
}

void make_private_dir(const std::filesystem::path& dir) {
    std::filesystem::path at;
    for (const auto& part : dir.lexically_normal()) {
        at /= part;
        if (part.empty()) continue;
        if (::mkdir(at.c_str(), 0700) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create " + at.string() + ": " + std::strerror(errno));
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
