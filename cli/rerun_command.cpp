#include "cli/rerun_command.hpp"

#include <sstream>

namespace rcbatch::cli {

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
    return out;
}

}  // namespace rcbatch::cli
