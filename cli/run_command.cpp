#include "cli/commands.hpp"
#include "cli/job_targets.hpp"
#include "cli/options.hpp"
#include "cli/rerun_command.hpp"
#include "cli/run_end_text.hpp"
#include "cli/run_extras.hpp"
#include "cli/run_setup.hpp"
#include "config/settings.hpp"
#include "config/target_file_check.hpp"
#include "engine/secret/redact.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/money/price_reader.hpp"
#include "jobs/money/unpriced.hpp"
#include "jobs/plan/plan_binding.hpp"
#include "jobs/plan/plan_table.hpp"
#include "jobs/run/run_job.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/run_history.hpp"
#include "jobs/select/target_sources.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"
#include "sandbox/server/background.hpp"

#include <iostream>

namespace rcbatch::cli {

namespace {
std::optional<ApiAccess> sandbox_access(const sandbox::BackgroundSandbox& sb) {
    ApiAccess access;
    access.endpoint = engine::Endpoint{"127.0.0.1", sb.port(), "localhost"};
    access.tls.ca_pem = sb.ca_pem();
    access.tls.system_ca = false;
    access.auth_userid = sb.userid();
    access.api_key = sb.api_key();
    access.environment = "sandbox";
    access.embedded_sandbox = true;
    return access;
}

// --sandbox: a sandbox on a loopback port for this run, kept alive by `sandbox`.
std::optional<ApiAccess> start_sandbox(std::unique_ptr<sandbox::BackgroundSandbox>& sandbox) {
    sandbox = std::make_unique<sandbox::BackgroundSandbox>(sandbox::Options{});
    return sandbox_access(*sandbox);
}

// The run as `request` asks for it, then what the user reads at its end (`summary`: the
// summary for humans); the outcome and its exit code.
std::pair<jobs::RunOutcome, engine::ExitCode> run_and_tell(jobs::RunRequest request, bool summary,
                                                           const std::string& rerun,
                                                           const std::string& settle = {}) {
    const engine::ProgressOptions progress = request.progress;
    std::ostream& out = request.out ? *request.out : std::cerr;
    jobs::RunOutcome outcome = jobs::run_job(std::move(request));
    const engine::ExitCode exit =
        print_run_outcome(out, progress, outcome, {summary, rerun, settle});
    return {std::move(outcome), exit};
}

// max-charge (README "What a run will cost"): a charged renewal runs only a plan whose
// estimate keeps the limit. Without --plan, a plan is made first (the preflight of every
// order, one plan-details call) and `wanted` becomes a run of it. An exit code when the run
// must not start (exit 2: nothing was sent).
template <class MakeRequest>
std::optional<int> keep_max_charge(const RunSetup& setup, const RunFlags& flags, RunFlags& wanted,
                                   MakeRequest& make_request) {
    const auto& limit = setup.settings.max_charge;
    if (!limit || flags.dry_run || !flags.resume_dir.empty() ||
        !jobs::estimates_charges(*setup.job.action))
        return std::nullopt;
    if (wanted.plan_dir.empty()) {
        RunFlags as_plan = flags;
        as_plan.dry_run = true;
        std::string error;
        jobs::RunRequest request = make_request(as_plan, error);
        const auto [planned, exit] = run_and_tell(std::move(request), false, rerun_command(flags));
        if (!planned.started_run() || exit != engine::ExitCode::ok) {
            print_error(flags.command,
                        "the estimate for max-charge could not be made; nothing was sent");
            return exit_code(exit == engine::ExitCode::ok ? engine::ExitCode::bad_input : exit);
        }
        wanted.plan_dir = planned.dir.string();
    }
    const boost::json::object s =
        jobs::RunFolder(wanted.plan_dir).read_summary().object.value_or(boost::json::object());
    if (auto why = jobs::max_charge_refusal(s, *limit, setup.settings.unpriced)) {
        print_error(flags.command, *why + " (plan " + wanted.plan_dir + "); nothing was sent");
        return exit_code(engine::ExitCode::bad_input);
    }
    if (!flags.quiet)
        std::cerr << "rcbatch " << flags.command << ": " << jobs::string_field(s, "estimate_text")
                  << ", within max-charge (plan " << wanted.plan_dir << ")\n";
    return std::nullopt;
}

// What the run of a plan just made would refuse under max-charge (plan = run --dry-run says it
// and exits 2, as the run would); nullopt when it would start.
std::optional<std::string> plan_charge_refusal(const RunSetup& setup,
                                               const jobs::RunOutcome& plan) {
    const auto& limit = setup.settings.max_charge;
    if (!limit || !plan.started_run() || !jobs::estimates_charges(*setup.job.action))
        return std::nullopt;
    return jobs::max_charge_refusal(plan.summary.json, *limit, setup.settings.unpriced);
}

// The end of a plan: its table and how to run it, or what its run would refuse (exit 2, as
// the run would). Returns the exit code.
engine::ExitCode tell_plan(const RunFlags& flags, const RunSetup& setup,
                           const jobs::RunOutcome& plan, engine::ExitCode exit) {
    const auto refused = plan_charge_refusal(setup, plan);
    if (plan.started_run() && !flags.quiet) {
        jobs::print_plan(plan.dir, std::cout);
        const std::string dir = plan.dir.string();
        if (refused) {
            // said below, on stderr
        } else if (flags.sandbox) {  // its orders were this command's sandbox's
            std::cout << "plan: " << dir << "  (an embedded sandbox lives for one command, so "
                      << "this plan cannot be run; run the job with: " << rerun_command(flags)
                      << ")\n";
        } else {
            std::cout << "plan: " << dir << "  (run it with: " << rerun_command(flags) << " --plan "
                      << shell_word(dir) << ")\n";
        }
    }
    if (!refused) return exit;
    print_error("plan", "the run would refuse this plan: " + *refused + " (plan " +
                            plan.dir.string() + ")");
    return engine::ExitCode::bad_input;
}

// The command line as given, before it is checked.
struct RunArgs {
    RunFlags flags;
    int concurrency = 0;
    double rate = -1;
    std::string log_format = "text";
    RunExtras extras;
};

po::options_description run_options(bool plan, RunArgs& a) {
    // Program_options keeps the help texts as pointers: these outlive it.
    static const std::string concurrency_help =
        "workers, " + config::settings::range_text(config::settings::concurrency) +
        " (overrides the job)";
    static const std::string rate_help = "requests per second over all workers, " +
                                         config::settings::range_text(config::settings::rate) +
                                         ", 0 = no cap (overrides the job)";
    RunFlags& flags = a.flags;
    po::options_description options(
        plan ? "rcbatch plan: preview a job; nothing that changes an order is sent"
             : "rcbatch run: run a job");
    options.add_options()("job", po::value(&flags.job_file), "the job file")(
        "profile", po::value(&flags.profile),
        "profile to use (default: the job's, then the file's)")(
        "config", po::value(&flags.config),
        "profile file (default: $RCBATCH_CONFIG, ~/.config/rcbatch/config.toml)")(
        "sandbox", po::bool_switch(&flags.sandbox),
        "run against the built-in API simulator (no profile or key needed)")(
        "concurrency", po::value(&a.concurrency), concurrency_help.c_str())(
        "rate", po::value(&a.rate), rate_help.c_str())(
        "report-dir", po::value(&flags.report_dir),
        "put the run folder under DIR/<job>/<UTC time>/")(
        "quiet", po::bool_switch(&flags.quiet),
        "no progress: one line per failed or unknown order and a one-line summary; nothing at all "
        "when every order is ok")("progress", po::bool_switch(&flags.progress),
                                  "a live progress bar even when stderr is not a terminal")(
        "log-format", po::value(&a.log_format),
        "text, or json: every line on stderr one JSON object (README: the JSON log)")(
        "csv", po::value(&flags.csv),
        "safe (the default: cells a spreadsheet cannot take for formulas, control characters "
        "escaped) or raw (every cell exactly as it came, for machines)");
    if (plan) return options;
    options.add_options()("live", po::bool_switch(&flags.live),
                          "allow a changing action on a live profile")(
        "dry-run", po::bool_switch(&flags.dry_run), "preview: the same as rcbatch plan")(
        "plan", po::value(&flags.plan_dir),
        "run exactly the orders of this plan's run folder; "
        "orders changed since are skipped as stale")(
        "resume", po::value(&flags.resume_dir),
        "continue the run in this run folder (killed or "
        "interrupted): orders with a final result are skipped, "
        "orders that may have been applied are checked first")(
        "no-journal", po::bool_switch(&flags.no_journal),
        "benchmarks only: no journal.jsonl, so no --resume "
        "(refused on a live profile)")("no-ledger", po::bool_switch(&flags.no_ledger),
                                       "benchmarks only: no ledger, so no cross-run guard "
                                       "(refused on a live profile)");
    add_run_extras(options, a.extras);
    return options;
}

// What is wrong with the flags among themselves, or nothing; fills the checked values in.
std::optional<std::string> check_run_args(RunArgs& a, const po::variables_map& vm) {
    RunFlags& flags = a.flags;
    if (flags.dry_run && !flags.plan_dir.empty()) return "choose one of --dry-run and --plan";
    if (!flags.resume_dir.empty() && (flags.dry_run || !flags.plan_dir.empty()))
        return "--resume continues a run; it goes with neither --dry-run nor --plan";
    if (flags.job_file.empty()) return "name the job file";
    if (a.log_format != "text" && a.log_format != "json") return "--log-format is text or json";
    if (!flags.csv.empty() && flags.csv != "safe" && flags.csv != "raw")
        return "--csv is safe or raw";
    if (vm.count("concurrency")) {
        if (a.concurrency < config::settings::concurrency.min ||
            a.concurrency > config::settings::concurrency.max)
            return "--concurrency is " +
                   config::settings::range_text(config::settings::concurrency);
        flags.concurrency = a.concurrency;
    }
    if (vm.count("rate")) {
        if (!(a.rate >= config::settings::rate.min && a.rate <= config::settings::rate.max))
            return "--rate is " + config::settings::range_text(config::settings::rate);
        flags.rate = a.rate;
    }
    if (flags.quiet && flags.progress) return "choose one of --quiet and --progress";
    flags.json_log = a.log_format == "json";
    return check_run_extras(a.extras);
}

// What the access allows: the benchmark-only flags are refused on a live profile.
std::optional<std::string> check_access(const RunFlags& flags, const ApiAccess& access) {
    if (flags.no_journal && (access.environment == "live" || !flags.resume_dir.empty()))
        return "--no-journal is for benchmarks against a test profile or the sandbox, never with "
               "--resume or a live profile";
    if (flags.no_ledger && access.environment == "live")
        return "--no-ledger is for benchmarks against a test profile or the sandbox, never a live "
               "profile";
    return std::nullopt;
}

// Where the orders come from: --resume, --plan (checked against the job) or the job's targets.
std::optional<std::string> set_request_source(const RunFlags& flags, const RunSetup& setup,
                                              const ApiAccess& access, jobs::RunRequest& request) {
    if (!flags.resume_dir.empty()) {
        request.resume = flags.resume_dir;
    } else if (!flags.plan_dir.empty()) {
        if (auto error = jobs::plan_refusal(flags.plan_dir, setup.job.name, *setup.job.action,
                                            request.binding))
            return error;
        request.source = std::make_unique<jobs::PlanSource>(flags.plan_dir);
    } else {
        set_targets(setup.job, request, access.nixi_product_keys);
    }
    return std::nullopt;
}

// The run as rcbatch run_job takes it; a message when --plan does not fit the job.
// `flags` says what to run (the user's, or a plan made for max-charge), `given` what the user
// typed.
std::optional<std::string> fill_request(const RunFlags& flags, const RunFlags& given,
                                        const RunSetup& setup, const ApiAccess& access,
                                        boost::asio::ssl::context& tls,
                                        const std::filesystem::path& state_dir,
                                        jobs::RunRequest& request) {
    request.job_name = setup.job.name;
    auto action = make_action_setup(setup, access, flags);
    request.action = action;
    request.batch = make_batch_settings(setup, access, tls);
    request.state_dir = state_dir;
    request.account = access.account();
    request.job_file = std::filesystem::absolute(flags.job_file).lexically_normal().string();
    request.repeat_guard = std::chrono::duration_cast<std::chrono::seconds>(
        setup.job.repeat_guard.value_or(access.repeat_guard));
    request.ledger = !flags.no_ledger;
    jobs::FlowSettings as_job =
        action->flow;  // --plan turns the preflight on; the plan was made from the job
    as_job.preflight = setup.job.preflight;
    request.binding =
        jobs::plan_binding(*setup.job.action, setup.job.region, setup.job.params,
                           targets_description(setup.job.targets), as_job, access.plan_account());
    if (auto error = set_request_source(flags, setup, access, request)) return error;
    if (setup.job.targets.source ==
        config::Targets::Source::file)  // the file's own columns, in reports
        request.target_columns = config::target_file_columns(setup.job.targets.file);
    request.dry_run = flags.dry_run;
    request.csv = setup.settings.csv;
    request.journal = !flags.no_journal;
    request.max_orders = setup.settings.max_orders;
    request.reports = setup.settings.reports.empty() ? jobs::default_runs_dir(state_dir).string()
                                                     : setup.settings.reports;
    request.progress = make_progress_options(given);
    request.extra["environment"] = access.environment;
    request.extra["command"] = rerun_command(given);  // rcbatch report's resume hint
    if (!flags.plan_dir.empty()) request.extra["plan"] = flags.plan_dir;
    return std::nullopt;
}

// The state directory, saying in one line when its ledger is not the machine's shared one.
std::optional<std::filesystem::path> state_dir_for_run(const RunFlags& flags) {
    auto choice = jobs::choose_state_dir(jobs::state_env());
    if (!choice) return std::nullopt;
    if (!choice->note.empty())
        jobs::print_run_message(std::cerr, make_progress_options(flags), choice->note);
    return choice->dir;
}

}  // namespace

// `rcbatch run`, and `rcbatch plan` (= run --dry-run).
int run_or_plan(const Args& args, bool plan) {
    const std::string command = plan ? "plan" : "run";
    RunArgs a;
    po::options_description options = run_options(plan, a);
    po::positional_options_description positional;
    positional.add("job", 1);
    po::variables_map vm;
    if (auto code = parse_arguments(command, "rcbatch " + command + " JOB.toml [options]", args,
                                    options, positional, vm))
        return *code;
    set_json_errors(a.log_format == "json");
    const auto bad = [&](const std::string& message) {
        print_error(command, message + " (see rcbatch " + command + " --help)");
        return exit_code(engine::ExitCode::bad_input);
    };
    const RunFlags& flags = a.flags;
    a.flags.dry_run = a.flags.dry_run || plan;
    a.flags.command = command;
    if (auto why = check_run_args(a, vm)) return bad(*why);

    bool profiles_ok = true;
    auto profile_file = load_profile_file(flags, profiles_ok);
    if (!profiles_ok) return exit_code(engine::ExitCode::bad_input);
    auto setup = load_run(flags, profile_file);
    if (!setup) return exit_code(engine::ExitCode::bad_input);

    std::unique_ptr<sandbox::BackgroundSandbox> sandbox;
    const std::optional<ApiAccess> access =
        flags.sandbox ? start_sandbox(sandbox) : profile_access(flags, *setup, profile_file);
    if (!access) return exit_code(engine::ExitCode::bad_input);
    engine::register_secret(access->api_key);
    if (auto why = check_access(flags, *access)) return bad(*why);
    const auto state_dir = state_dir_for_run(flags);
    if (!state_dir) return bad("no state directory: set RCBATCH_STATE_DIR (or HOME)");
    if (auto why = jobs::state_dir_refusal(*state_dir)) {
        print_error(command, *why + "; nothing was sent");
        return exit_code(engine::ExitCode::bad_input);
    }
    boost::asio::ssl::context tls = engine::make_client_tls_context(access->tls);
    // The run (or plan) as `f` asks for it; `error` says why it must not start.
    auto make_request = [&](const RunFlags& f, std::string& error) {
        jobs::RunRequest request;
        if (auto why = fill_request(f, flags, *setup, *access, tls, *state_dir, request))
            error = *why;
        request.max_runtime = a.extras.max_runtime;
        return request;
    };
    wait_jitter(a.extras, flags.quiet);
    RunFlags wanted = flags;
    if (auto code = keep_max_charge(*setup, flags, wanted, make_request)) return *code;
    std::string error;
    jobs::RunRequest request = make_request(wanted, error);
    if (!error.empty()) return bad(error);
    // A plan prints its own table instead of the summary.
    auto [report, exit] =
        run_and_tell(std::move(request), !wanted.quiet && !wanted.dry_run, rerun_command(flags),
                     settle_command(flags, profile_file ? profile_file->file : ""));
    if (flags.dry_run) exit = tell_plan(flags, *setup, report, exit);
    return exit_code(write_run_metrics(a.extras, setup->job.name, report, exit));
}

int run_command(const Args& args) { return run_or_plan(args, false); }
int plan_command(const Args& args) { return run_or_plan(args, true); }

}  // namespace rcbatch::cli
