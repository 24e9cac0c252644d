#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/colour.hpp"
#include "jobs/run_folder_report.hpp"
#include "jobs/run_reports.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace rcbatch::cli {

namespace {
boost::json::object report_files_json(const jobs::RunReportFiles& files) {
    boost::json::object o{{"html", files.html.string()}};
    if (!files.junit.empty()) o["junit"] = files.junit.string();
    return o;
}
}  // namespace

int report_command(const Args& args) {
    po::options_description options(
        "rcbatch report: the summary of a finished or dead run from its folder; rebuilds the "
        "reports of a "
        "run that died before writing them");
    std::string dir;
    bool all = false, as_json = false, html = false;
    options.add_options()("all", po::bool_switch(&all),
                          "list every failed order (default: the first 50)")(
        "json", po::bool_switch(&as_json), "print one JSON object instead (for scripts)")(
        "html", po::bool_switch(&html),
        "also write report.html and results.junit.xml into the folder")(
        "dir", po::value(&dir), "RUN_DIR: reports/<job>/<UTC time>/");
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    if (auto code = parse_arguments("report", "rcbatch report RUN_DIR [--all] [--json] [--html]",
                                    args, options, positional, vm))
        return *code;
    if (dir.empty()) {
        print_error("report", "name a run folder (see rcbatch report --help)");
        return exit_code(engine::ExitCode::bad_input);
    }

    jobs::ReportOptions report_options;
    if (all) report_options.failure_limit = 0;
    report_options.state_dir = jobs::state_dir_from_env().value_or(std::filesystem::path());
    if (auto why = jobs::state_dir_refusal(report_options.state_dir);
        why && !report_options.state_dir.empty()) {
        print_error("report", *why);
        return exit_code(engine::ExitCode::bad_input);
    }
    jobs::RunFolderReport report;
    try {
        report = jobs::read_run_folder(dir, report_options);
    } catch (const jobs::RunFolderError& e) {
        print_error("report", e.what());
        return exit_code(engine::ExitCode::bad_input);
    }
    boost::json::object html_files;
    if (html && (report.state == jobs::RunState::running || !report.summary)) {
        std::cerr << "rcbatch report: --html needs the folder's summary.json; a run still going on "
                     "writes it "
                     "at its end\n";
        return exit_code(engine::ExitCode::bad_input);
    }
    try {
        if (html) html_files = report_files_json(jobs::write_run_reports(dir));
    } catch (const std::exception& e) {
        std::cerr << "rcbatch report: " << e.what() << '\n';
        return exit_code(engine::ExitCode::bad_input);
    }
    if (as_json) {
        boost::json::object j = jobs::report_json(report);
        for (const auto& [k, v] : html_files) j[k] = v;
        std::cout << boost::json::serialize(j) << '\n';
    } else {
        std::cout << engine::colour_outcomes_if(engine::colour_wanted(1),
                                                jobs::report_text(report));
        for (const auto& [k, v] : html_files)
            std::cout << k << ": " << v.as_string().c_str() << '\n';
    }
    return exit_code(jobs::report_exit_code(report));
}

}  // namespace rcbatch::cli
