#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/rerun_command.hpp"
#include "cli/run_setup.hpp"
#include "engine/text/colour.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "jobs/run_folder/report_pages.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/select/failed_targets.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace rcbatch::cli {

namespace {
struct ReportArgs {
    std::string dir;
    bool all = false, as_json = false, html = false, failed_ids = false;
};

po::options_description report_options(ReportArgs& a) {
    po::options_description options(
        "rcbatch report: the summary of a finished or dead run from its folder; rebuilds the "
        "reports of a run that died before writing them");
    options.add_options()("all", po::bool_switch(&a.all),
                          "list every failed order (default: the first 50)")(
        "json", po::bool_switch(&a.as_json), "print one JSON object instead (for scripts)")(
        "html", po::bool_switch(&a.html),
        "also write report.html and results.junit.xml into the folder")(
        "failed-ids", po::bool_switch(&a.failed_ids),
        "print the failed orders as a target file (CSV: order-id or domain-name, then their "
        "own columns); orders that may have been applied are left out")(
        "dir", po::value(&a.dir), "RUN_DIR: reports/<job>/<UTC time>/");
    return options;
}

// --failed-ids: the failed orders as a target file on stdout; what was left out, on stderr.
// `other_flags`: --json, --html or --all, which do not go with it.
int print_failed_ids(const std::string& dir, bool other_flags) {
    if (other_flags) {
        print_error("report", "--failed-ids goes with none of --json, --html and --all");
        return exit_code(engine::ExitCode::bad_input);
    }
    const jobs::RunFolder folder(dir);
    if (!jobs::RunFolder::has(folder.journal())) {
        print_error("report", dir + " has no journal.jsonl: --failed-ids reads a run's journal");
        return exit_code(engine::ExitCode::bad_input);
    }
    jobs::FailedTargets failed;
    try {
        failed = jobs::failed_targets(dir);
    } catch (const std::exception& e) {  // the folder named is not one to read: 2
        print_error("report", e.what());
        return exit_code(engine::ExitCode::bad_input);
    }
    std::cout << failed.csv;
    const std::string where = shell_word(jobs::canonical_run_dir(dir).string());
    const std::string resume = jobs::resume_command(
        failed.job_file.empty() ? "" : "rcbatch run " + shell_word(failed.job_file),
        jobs::canonical_run_dir(dir));
    if (failed.unknown > 0)
        print_error("report", std::to_string(failed.unknown) +
                                  " unknown orders left out: they may have been applied; "
                                  "settle them first with: rcbatch settle " +
                                  where);
    if (failed.in_doubt > 0)
        print_error("report", std::to_string(failed.in_doubt) +
                                  " orders left out: the run stopped after their request may "
                                  "have left; continue it with: " +
                                  resume);
    if (failed.no_result > 0)
        print_error("report", std::to_string(failed.no_result) +
                                  " orders without a result left out: " + resume + " runs them");
    if (failed.no_id > 0)
        print_error("report", std::to_string(failed.no_id) +
                                  " orders left out: no order id (their domain names never "
                                  "resolved)");
    return exit_code(engine::ExitCode::ok);
}

boost::json::object report_files_json(const jobs::RunReportFiles& files) {
    boost::json::object o{{"html", files.html.string()}};
    if (!files.junit.empty()) o["junit"] = files.junit.string();
    return o;
}
}  // namespace

int report_command(const Args& args) {
    ReportArgs a;
    po::options_description options = report_options(a);
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    if (auto code = parse_arguments(
            "report", "rcbatch report RUN_DIR [--all] [--json] [--html] [--failed-ids]", args,
            options, positional, vm))
        return *code;
    // A run of a user's action reads back with its result columns; a bad file in the user's
    // folder is said, and does not keep a run folder from being read.
    (void)add_action_files(std::nullopt, "");
    const std::string& dir = a.dir;
    const bool all = a.all, as_json = a.as_json, html = a.html;
    if (dir.empty()) {
        print_error("report", "name a run folder (see rcbatch report --help)");
        return exit_code(engine::ExitCode::bad_input);
    }
    if (a.failed_ids) return print_failed_ids(dir, as_json || html || all);

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
    } catch (const std::exception& e) {
        // Not a run folder, or its reports cannot be rebuilt (a planted link, a full disk): the
        // folder the user named, 2 (nothing here is resumed).
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
        // Whatever refused the pages (a planted link, a full disk) is in the folder the user
        // named: 2, as a folder that cannot be read, not 3 (nothing here is resumed).
        print_error("report", e.what());
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
