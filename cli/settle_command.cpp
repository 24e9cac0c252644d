// `rcbatch settle RUN_DIR`: a finished (or dead) run's orders in doubt looked up in the API's
// evidence, later — never sending a change — and the verdicts recorded (jobs/run/settle_run.hpp).
// The job file and the account come from the run's journal header; the profile is chosen as
// `run` chooses it.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/rerun_command.hpp"
#include "cli/run_setup.hpp"
#include "config/target_file_check.hpp"
#include "engine/report/progress.hpp"
#include "engine/secret/redact.hpp"
#include "engine/store/job_lock.hpp"
#include "engine/text/display_text.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run/settle_run.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/state/state_dir.hpp"

#include <iostream>
#include <optional>

namespace rcbatch::cli {

namespace {

using engine::ExitCode;

int fail(ExitCode code, const std::string& message) {
    print_error("settle", message);
    return exit_code(code);
}

// What the run's journal says it was: its header, read once. Empty with `error` set when the
// folder has no readable journal.
struct RunHeader {
    engine::JournalScan scan;
    std::string job_file, account, job;
    std::optional<std::string> error;  // why the folder cannot be settled
};

RunHeader read_header(const std::filesystem::path& dir) {
    RunHeader h;
    const jobs::RunFolder folder(dir);
    if (!jobs::RunFolder::has(folder.journal())) {
        h.error = dir.string() + " has no journal.jsonl: not a run folder (a plan or a listing " +
                  "has nothing to settle)";
        return h;
    }
    try {
        h.scan = engine::scan_journal(folder.journal());
    } catch (const std::exception& e) {
        h.error = e.what();
        return h;
    }
    h.job_file = jobs::string_field(h.scan.header, "job_file");
    h.account = jobs::string_field(h.scan.header, "account");
    h.job = jobs::string_field(h.scan.header, "job");
    if (h.job_file.empty() || h.account.empty())
        h.error = folder.journal().string() +
                  " names no job file or account (a run from an older rcbatch): check its "
                  "unknown orders by hand";
    return h;
}

// The job (from the header's job file, checked against the journal) and the access to its
// account; an exit code when they cannot be had.
std::optional<int> prepare(const RunHeader& h, RunFlags& flags, std::optional<RunSetup>& setup,
                           std::optional<ApiAccess>& access) {
    bool profiles_ok = true;
    auto profile_file = load_profile_file(flags, profiles_ok);
    if (!profiles_ok) return exit_code(ExitCode::bad_input);
    setup = load_run(flags, profile_file);
    if (!setup) return exit_code(ExitCode::bad_input);
    if (auto why =
            jobs::resume_refusal(h.scan, setup->job.name, *setup->job.action, setup->job.params))
        return fail(ExitCode::bad_input,
                    "the job file " + h.job_file + " no longer fits the run: " + *why);
    access = profile_access(flags, *setup, profile_file);
    if (!access) return exit_code(ExitCode::bad_input);
    engine::register_secret(access->api_key);
    if (access->account() != h.account)
        return fail(ExitCode::bad_input, "the run was on account " + h.account +
                                             ", and the profile reaches " + access->account() +
                                             " (choose its profile with --profile)");
    return std::nullopt;
}

void print_verdict(const engine::OrderResult& r);

// The settling as the run was run: its action (the flow deciding only), its batch settings,
// its target file's own columns.
jobs::SettleRequest settle_request(const RunSetup& setup, const ApiAccess& access,
                                   const RunFlags& flags, boost::asio::ssl::context& tls,
                                   const std::filesystem::path& dir,
                                   const std::filesystem::path& state_dir) {
    auto action = make_action_setup(setup, access, flags);
    action->flow.settle_only = true;
    jobs::SettleRequest request;
    request.dir = dir;
    request.action = action;
    request.batch = make_batch_settings(setup, access, tls);
    if (setup.job.targets.source == config::Targets::Source::file)
        request.target_columns = config::target_file_columns(setup.job.targets.file);
    request.state_dir = state_dir;
    request.on_verdict = print_verdict;
    return request;
}

void print_verdict(const engine::OrderResult& r) {
    std::cout << engine::printable(engine::redact("order " + r.order_id + " " +
                                                  std::string(engine::to_string(r.outcome)) + ": " +
                                                  r.message))
              << '\n';
}

int tell(const jobs::SettleOutcome& o, const RunFlags& flags, const std::filesystem::path& dir) {
    std::cout << "rcbatch settle: " << o.looked_up << " orders looked up: " << o.applied
              << " applied, " << o.not_applied << " not applied, " << o.unknown + o.no_intent
              << " still unknown; reports " << shell_word(dir.string()) << '\n';
    if (o.not_applied > 0)
        std::cout << "send the ones not applied with: " << rerun_command(flags) << " --resume "
                  << shell_word(dir.string()) << '\n';
    if (o.unknown + o.no_intent > 0)
        std::cout << "the unknown ones may have been applied: check them by hand\n";
    if (o.stop != engine::StopReason::none)
        return fail(ExitCode::aborted, "stopped: " + o.stop_message + "; run it again");
    const bool doubts_left = o.summary.count(engine::Outcome::unknown) > 0;
    return exit_code(doubts_left || o.no_intent > 0 ? ExitCode::orders_failed : ExitCode::ok);
}

}  // namespace

int settle_command(const Args& args) {
    po::options_description options(
        "rcbatch settle: look up the evidence for a finished or dead run's orders in doubt "
        "(unknown, or sent with no answer recorded) and record the verdict; nothing that "
        "changes an order is sent");
    std::string dir_arg;
    RunFlags flags;
    options.add_options()("dir", po::value(&dir_arg), "RUN_DIR")(
        "profile", po::value(&flags.profile),
        "profile to use (default: the job's, then the file's)")(
        "config", po::value(&flags.config),
        "profile file (default: $RCBATCH_CONFIG, ~/.config/rcbatch/config.toml)")(
        "sandbox", po::bool_switch(&flags.sandbox), "refused: a --sandbox run's sandbox is gone");
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    if (auto code =
            parse_arguments("settle", "rcbatch settle RUN_DIR [--profile NAME] [--config FILE]",
                            args, options, positional, vm))
        return *code;
    if (flags.sandbox)
        return fail(ExitCode::bad_input,
                    "--sandbox starts a new sandbox each time, which knows nothing of an earlier "
                    "run's orders: there is nothing to look up (see rcbatch settle --help)");
    if (dir_arg.empty()) return fail(ExitCode::bad_input, "name a run folder (see --help)");
    const std::filesystem::path dir = jobs::canonical_run_dir(dir_arg);
    const RunHeader header = read_header(dir);
    if (header.error) return fail(ExitCode::bad_input, *header.error);
    const auto state_dir = jobs::state_dir_from_env();
    if (!state_dir) return fail(ExitCode::bad_input, "no state directory: set RCBATCH_STATE_DIR");
    if (!jobs::RunFolder::has(jobs::RunFolder(dir).summary())) {
        // A dead run: its reports are rebuilt first (read_run_folder takes the lock itself).
        jobs::ReportOptions rebuild;
        rebuild.state_dir = *state_dir;
        if (jobs::read_run_folder(dir, rebuild).state == jobs::RunState::running)
            return fail(ExitCode::locked, "a run of job '" + header.job + "' is going on");
    }
    flags.job_file = header.job_file;
    flags.dry_run = true;  // only for the live-profile check: settle sends no change
    std::optional<RunSetup> setup;
    std::optional<ApiAccess> access;
    if (auto code = prepare(header, flags, setup, access)) return *code;
    std::string holder;
    const auto lock_dir = jobs::job_lock_dir(*state_dir, header.account, header.job);
    jobs::make_private_dir(lock_dir);
    const auto lock = engine::JobLock::try_acquire(lock_dir, holder);
    if (!lock)
        return fail(ExitCode::locked, "job '" + header.job + "' is running (" + holder +
                                          "); settle it when that run ends");

    boost::asio::ssl::context tls = engine::make_client_tls_context(access->tls);
    flags.dry_run = false;
    const jobs::SettleOutcome outcome =
        jobs::settle_run(settle_request(*setup, *access, flags, tls, dir, *state_dir));
    return tell(outcome, flags, dir);
}

}  // namespace rcbatch::cli
