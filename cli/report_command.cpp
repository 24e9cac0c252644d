#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "jobs/run_folder.hpp"
#include "jobs/state/state_dir.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace rcbatch::cli {

int report_command(const Args& args) {
    po::options_description options(
        "rcbatch report: the summary of a finished or dead run from its folder; rebuilds the "
        "reports of a "
        "run that died before writing them");
    std::string dir;
    bool all = false, as_json = false;
    options.add_options()("all", po::bool_switch(&all),
                          "list every failed order (default: the first 50)")(
        "json", po::bool_switch(&as_json), "print one JSON object instead (for scripts)")(
        "dir", po::value(&dir), "RUN_DIR: reports/<job>/<UTC time>/");
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    if (auto code = parse_arguments("report", "rcbatch report RUN_DIR [--all] [--json]", args,
                                    options, positional, vm))
        return *code;
    if (dir.empty()) {
        print_error("report", "name a run folder (see rcbatch report --help)");
        return exit_code(engine::ExitCode::bad_input);
    }

    jobs::ReportOptions report_options;
    if (all) report_options.failure_limit = 0;
    report_options.state_dir = jobs::state_dir_from_env().value_or(std::filesystem::path());
    jobs::RunFolderReport report;
    try {
        report = jobs::read_run_folder(dir, report_options);
    } catch (const jobs::RunFolderError& e) {
        print_error("report", e.what());
        return exit_code(engine::ExitCode::bad_input);
    }
    if (as_json)
        std::cout << boost::json::serialize(jobs::report_json(report)) << '\n';
    else
        std::cout << jobs::report_text(report);
    return exit_code(jobs::report_exit_code(report));
}

}  // namespace rcbatch::cli
