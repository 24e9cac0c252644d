#pragma once
// What the hostile-input end-to-end tests share: jobs against `--sandbox` (the built-in
// simulator, default seed) and the run folder a run left.

#include "sandbox/api/service.hpp"
#include "tests/support/files.hpp"
#include "tests/support/sandbox_orders.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rcbatch::test {

// The environment of a user with no profile file and no HOME: a run needs --sandbox.
inline const std::map<std::string, std::string> no_profiles{{"RCBATCH_CONFIG", ""},
                                                            {"HOME", "/nonexistent"}};

// The same, with the state directory (the ledger, the job locks) under `dir`.
inline std::map<std::string, std::string> no_profiles_state(const std::filesystem::path& dir) {
    std::map<std::string, std::string> env = no_profiles;
    env["RCBATCH_STATE_DIR"] = (dir / "state").string();
    return env;
}

// A backup.details job over `ids`, written to DIR/NAME.toml; `extra` goes into [run].
inline std::string details_job(const std::filesystem::path& dir, const std::string& name,
                               const std::vector<std::int64_t>& ids,
                               const std::string& extra = "") {
    const std::filesystem::path path = dir / (name + ".toml");
    std::ofstream out(path);
    out << "name = \"" << name << "\"\naction = \"backup.details\"\nregion = \"us\"\n"
        << "[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n[run]\nrate = 0.0\nconcurrency = 4\n" << extra;
    return path.string();
}

// The one run folder under <reports>/<job>/, or an empty path.
inline std::filesystem::path only_run_folder(const std::filesystem::path& reports,
                                             const std::string& job) {
    std::filesystem::path found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(reports / job, ec)) {
        if (!e.is_directory()) continue;
        if (!found.empty()) return {};
        found = e.path();
    }
    return found;
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace rcbatch::test
