#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/run_setup.hpp"
#include "config/job.hpp"
#include "config/profile.hpp"
#include "engine/secret/private_memory.hpp"
#include "engine/text/display_text.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/state/first_seen.hpp"

#include <iostream>

namespace rcbatch::cli {

namespace {
// What `rcbatch plan` and `run` would refuse about the profile `job` runs with: none named
// or found, or its key (an unset variable; a key file that is missing, empty or readable by
// others). The key is read to check it, never shown, and wiped.
std::optional<std::string> profile_refusal(const config::ProfileFile& profiles,
                                           const config::Job& job) {
    std::string error;
    const config::Profile* profile = config::choose_profile(profiles, job.profile, error);
    if (!profile) return error;
    std::optional<std::string> key = config::resolve_api_key(*profile, error);
    if (!key) return error;
    engine::wipe(*key);
    return std::nullopt;
}
}  // namespace

int validate_command(const Args& args) {
    po::options_description options(
        "rcbatch validate: check job files (and the profiles they name, their keys included) "
        "and action files");
    std::vector<std::string> files;
    std::string config_path;
    options.add_options()("config", po::value(&config_path),
                          "profile file to check the jobs' profiles against")(
        "job", po::value(&files), "JOB.toml or ACTION.toml (one or more)");
    po::positional_options_description positional;
    positional.add("job", -1);
    po::variables_map vm;
    if (auto code =
            parse_arguments("validate", "rcbatch validate JOB.toml|ACTION.toml... [--config FILE]",
                            args, options, positional, vm))
        return *code;
    if (files.empty()) {
        print_error("validate", "name at least one JOB.toml (see rcbatch validate --help)");
        return exit_code(engine::ExitCode::bad_input);
    }

    std::optional<config::ProfileFile> profiles;
    bool profiles_ok = true;
    if (auto path = config::find_profile_file(config_path)) {
        auto loaded = config::load_profile_file(*path);
        print_diagnostics(loaded.errors);
        profiles_ok = loaded.errors.empty();
        profiles = std::move(loaded.config);
    }
    bool ok = profiles_ok;
    // The user's action files and the default profile's first: an action file named here is
    // checked as it would be added beside them; a job sees its own profile's too.
    ok = add_action_files(profiles, "") && ok;
    for (const std::string& file : files) {
        if (config::is_action_file(file)) {
            engine::Diagnostics errors = jobs::check_action_files({file});
            print_diagnostics(errors);
            if (errors.empty())
                std::cout << "ok " << engine::printable(file) << " (action)\n";
            else
                ok = false;
            continue;
        }
        if (profiles) ok = add_action_files(profiles, config::job_profile_name(file)) && ok;
        auto loaded = config::load_job(file, jobs::seen_keys_on_disk);
        config::Diagnostics errors = loaded.errors;
        if (loaded.job && profiles)
            if (auto why = profile_refusal(*profiles, *loaded.job))
                errors.push_back({file, 0, 0, *why});
        print_diagnostics(errors);
        // A job is "ok" only when plan and run would take it: never beside a bad profile file.
        if (errors.empty() && profiles_ok)
            std::cout << "ok " << engine::printable(file) << '\n';
        else
            ok = false;
    }
    return exit_code(ok ? engine::ExitCode::ok : engine::ExitCode::bad_input);
}

}  // namespace rcbatch::cli
