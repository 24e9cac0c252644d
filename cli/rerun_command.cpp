#include "cli/rerun_command.hpp"

#include <cstdlib>
#include <sstream>

namespace rcbatch::cli {

std::string shell_word(const std::string& value) {
    constexpr const char* plain =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:/=+@%";
    if (!value.empty() && value.find_first_not_of(plain) == std::string::npos) return value;
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string rerun_command(const RunFlags& flags) {
    std::string out = "rcbatch run " + shell_word(flags.job_file);
    const auto add = [&](const char* flag, const std::string& value) {
        if (!value.empty()) out += std::string(" ") + flag + " " + shell_word(value);
    };
    add("--profile", flags.profile);
    add("--config", flags.config);
    if (flags.sandbox) out += " --sandbox";
    if (flags.live) out += " --live";
    if (flags.concurrency) add("--concurrency", std::to_string(*flags.concurrency));
    if (flags.rate) {
        std::ostringstream rate;
        rate << *flags.rate;
        add("--rate", rate.str());
    }
    add("--report-dir", flags.report_dir);
    add("--csv", flags.csv);
    return out;
}

}  // namespace rcbatch::cli

namespace rcbatch::cli {

std::string settle_command(const RunFlags& flags, const std::filesystem::path& profile_file) {
    if (flags.sandbox) return {};  // its sandbox is gone: nothing can look the orders up
    std::string out;
    if (const char* state = std::getenv("RCBATCH_STATE_DIR"); state && *state)
        out = "RCBATCH_STATE_DIR=" +
              shell_word(std::filesystem::absolute(state).lexically_normal().string()) + " ";
    out += "rcbatch settle";
    if (!flags.profile.empty()) out += " --profile " + shell_word(flags.profile);
    if (!profile_file.empty())
        out += " --config " +
               shell_word(std::filesystem::absolute(profile_file).lexically_normal().string());
    return out;
}

}  // namespace rcbatch::cli
