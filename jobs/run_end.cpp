#include "jobs/run_end.hpp"

#include "jobs/run_folder_files.hpp"

#include <chrono>
#include <system_error>

namespace rcbatch::jobs {

namespace {
void say(engine::Progress& progress, const std::string& text) {
    progress.note(text, std::chrono::steady_clock::now(), true);
}
}  // namespace

std::string fatal_advice(const std::string& message) {
    // A TLS or proxy failure's message names its cause and fix (engine/tls_failure, engine/proxy).
    if (message.rfind("TLS handshake", 0) == 0 || message.rfind("proxy ", 0) == 0) return message;
    return "the API refused the credentials (" + message +
           "); check the API key and that this machine's IP is on the API whitelist in the "
           "reseller panel";
}

std::string resume_command(const std::string& rerun, const std::filesystem::path& dir) {
    return (rerun.empty() ? std::string("rcbatch run JOB.toml") : rerun) + " --resume " +
           dir.string();
}

void print_run_end(engine::Progress& progress, const RunReport& report, bool text_summary,
                   bool resumable, const std::string& rerun) {
    progress.summary(report.summary, text_summary, static_cast<int>(report.exit));
    const std::string hint =
        resumable ? "; continue it with: " + resume_command(rerun, report.dir) : "";
    if (report.stop == engine::StopReason::fatal)
        say(progress, "rcbatch run: stopped: " + fatal_advice(report.stop_message) + hint);
    else if (report.stop == engine::StopReason::interrupted)
        say(progress, "rcbatch run: interrupted (" + report.stop_message +
                          "); the reports are complete" + hint);
    else if (report.stop == engine::StopReason::failed)
        say(progress, "rcbatch run: stopped: " + report.stop_message + hint);
    if (!report.mismatch.empty())
        say(progress, "rcbatch run: incomplete listing: " + report.mismatch);
}

void print_run_message(std::ostream& out, const engine::ProgressOptions& options,
                       const std::string& message) {
    engine::Progress progress(out, options, 0, std::chrono::steady_clock::now());
    progress.note("rcbatch run: " + message, std::chrono::steady_clock::now(), true);
}

RunReport files_failed(std::ostream& out, const engine::ProgressOptions& options,
                       const std::filesystem::path& dir, const std::string& what,
                       const std::string& rerun) {
    RunReport report;
    report.dir = dir;
    report.exit = engine::ExitCode::aborted;
    report.stop = engine::StopReason::failed;
    report.stop_message = what;
    std::error_code ec;
    const bool resumable = !dir.empty() && std::filesystem::exists(RunFolder(dir).journal(), ec);
    report.message =
        "stopped: the run's files cannot be written: " + what +
        (resumable ? "; make room, then continue it with: " + resume_command(rerun, dir)
                   : "; nothing was sent");
    engine::ProgressOptions with_run = options;
    if (!dir.empty()) with_run.run_id = dir.filename().string();
    print_run_message(out, with_run, report.message);
    return report;
}

}  // namespace rcbatch::jobs
