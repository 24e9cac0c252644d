#include "cli/run_end_text.hpp"

#include "cli/rerun_command.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

#include <boost/json/array.hpp>

#include <chrono>

namespace rcbatch::cli {

using engine::ExitCode;

namespace {
void say(engine::Progress& progress, const std::string& text) {
    progress.note(text, std::chrono::steady_clock::now(), true);
}

// Orders left in doubt: how many, and the command that settles them later (even with --quiet;
// a "doubt" event in JSON).
void tell_doubts(engine::Progress& progress, const engine::ProgressOptions& options,
                 const jobs::RunOutcome& o, const RunEndText& text) {
    const std::uint64_t n = o.summary.count(engine::Outcome::unknown);
    if (n == 0) return;
    const std::string dir = shell_word(jobs::canonical_run_dir(o.dir).string());
    const std::string command = text.settle.empty() ? std::string() : text.settle + " " + dir;
    const std::string what = std::to_string(n) + (n == 1 ? " order is" : " orders are") +
                             " in doubt (may have been applied; not sent again)";
    if (options.format == engine::LogFormat::json) {
        boost::json::array orders;
        for (const std::string& id : o.in_doubt) orders.emplace_back(id);
        progress.event({{"event", "doubt"},
                        {"orders", n},
                        {"order_ids", std::move(orders)},
                        {"reports", jobs::canonical_run_dir(o.dir).string()},
                        {"command", command}});
        return;
    }
    say(progress, "rcbatch " + options.command + ": " + what +
                      (command.empty() ? ": check them by hand (rcbatch report " + dir + ")"
                                       : ": settle them from the API's records with: " + command));
}

// The summary, then one line for a stop, one for an incomplete listing, one for doubts.
void print_run_end(engine::Progress& progress, const engine::ProgressOptions& options,
                   const jobs::RunOutcome& o, const RunEndText& text, ExitCode exit) {
    const std::string me = "rcbatch " + options.command + ": ";
    progress.summary(o.summary, text.summary, static_cast<int>(exit));
    const std::string hint =
        o.resumable ? "; continue it with: " + jobs::resume_command(text.rerun, o.dir) : "";
    if (o.stop == engine::StopReason::fatal)
        say(progress, me + "stopped: " + jobs::fatal_advice(o.stop_message) + hint);
    else if (o.stop == engine::StopReason::interrupted)
        say(progress, me + "interrupted (" + o.stop_message + "); the reports are complete" + hint);
    else if (o.stop == engine::StopReason::failed)
        say(progress, me + "stopped: " + o.stop_message + hint);
    if (!o.mismatch.empty()) say(progress, me + "incomplete listing: " + o.mismatch);
    tell_doubts(progress, options, o, text);
}

// The run's files could not be written: what, and how to go on.
std::string files_failed_text(const jobs::RunOutcome& o, const std::string& rerun) {
    return "stopped: the run's files cannot be written: " + o.files_error +
           (o.resumable
                ? "; make room, then continue it with: " + jobs::resume_command(rerun, o.dir)
                : "; nothing was sent");
}
}  // namespace

ExitCode run_exit_code(const jobs::RunOutcome& o) noexcept {
    if (!o.files_error.empty()) return engine::exit_code_of(engine::Failure::files);
    if (o.not_started) return engine::exit_code_of(o.not_started);
    if (o.stop != engine::StopReason::none) return ExitCode::aborted;
    if (o.failed > 0 || !o.mismatch.empty()) return ExitCode::orders_failed;
    return ExitCode::ok;
}

ExitCode print_run_outcome(std::ostream& out, engine::ProgressOptions options,
                           const jobs::RunOutcome& o, const RunEndText& text) {
    const ExitCode exit = run_exit_code(o);
    if (!o.dir.empty()) options.run_id = o.dir.filename().string();
    if (!o.files_error.empty()) {
        jobs::print_run_message(out, options, files_failed_text(o, text.rerun));
    } else if (o.not_started) {
        jobs::print_run_message(out, options, o.message);
    } else {
        if (!o.reports_error.empty())
            out << "rcbatch " << options.command << ": " << o.reports_error << '\n';
        engine::Progress progress(out, options, 0, o.started);
        print_run_end(progress, options, o, text, exit);
    }
    return exit;
}

}  // namespace rcbatch::cli
