#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "config/job.hpp"
#include "config/profile.hpp"
#include "engine/display_text.hpp"

#include <iostream>

namespace rcbatch::cli {

int validate_command(const Args& args) {
    po::options_description options(
        "rcbatch validate: check job files (and the profiles they name)");
    std::vector<std::string> files;
    std::string config_path;
    options.add_options()("config", po::value(&config_path),
                          "profile file to check the jobs' profiles against")(
        "job", po::value(&files), "JOB.toml (one or more)");
    po::positional_options_description positional;
    positional.add("job", -1);
    po::variables_map vm;
    if (auto code = parse_arguments("validate", "rcbatch validate JOB.toml... [--config FILE]",
                                    args, options, positional, vm))
        return *code;
    if (files.empty()) {
        print_error("validate", "name at least one JOB.toml (see rcbatch validate --help)");
        return exit_code(engine::ExitCode::bad_input);
    }

    std::optional<config::ProfileFile> profiles;
    bool ok = true;
    if (auto path = config::find_profile_file(config_path)) {
        auto loaded = config::load_profile_file(*path);
        print_diagnostics(loaded.errors);
        ok = loaded.errors.empty();
        profiles = std::move(loaded.config);
    }
    for (const std::string& file : files) {
        auto loaded = config::load_job(file);
        config::Diagnostics errors = loaded.errors;
        if (loaded.job && profiles) {
            std::string error;
            if (!config::choose_profile(*profiles, loaded.job->profile, error))
                errors.push_back({file, 0, 0, error});
        }
        print_diagnostics(errors);
        if (errors.empty())
            std::cout << "ok " << engine::printable(file) << '\n';
        else
            ok = false;
    }
    return exit_code(ok ? engine::ExitCode::ok : engine::ExitCode::bad_input);
}

}  // namespace rcbatch::cli
