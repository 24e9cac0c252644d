// `rcbatch runs` and `rcbatch history ORDER`: what the ledger in the state directory knows.
#include "cli/commands.hpp"
#include "cli/history_log.hpp"
#include "cli/options.hpp"
#include "jobs/select/target_file_reader.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_text.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace rcbatch::cli {

namespace {
// The ledger of the state directory; nullopt (the reason printed) when there is none yet.
std::optional<jobs::Ledger> open_ledger(const std::string& command) {
    const auto dir = jobs::state_dir_from_env();
    if (!dir) {
        std::cerr << "rcbatch " << command
                  << ": no state directory: set RCBATCH_STATE_DIR (or HOME)\n";
        return std::nullopt;
    }
    if (auto why = jobs::state_dir_refusal(*dir)) throw jobs::StateDirError(*why);
    if (!std::filesystem::exists(*dir / jobs::Ledger::file_name)) return std::nullopt;
    return std::optional<jobs::Ledger>(std::in_place, *dir);
}
}  // namespace

int runs_command(const Args& args) {
    po::options_description options("rcbatch runs: the runs the ledger knows, newest first");
    std::string job;
    int limit = 50;
    bool as_json = false;
    options.add_options()("job", po::value(&job), "only the runs of this job")(
        "limit", po::value(&limit), "at most this many runs (default 50)")(
        "json", po::bool_switch(&as_json), "print a JSON array instead (for scripts)");
    po::positional_options_description positional;
    po::variables_map vm;
    if (auto code = parse_arguments("runs", "rcbatch runs [--job NAME] [--limit N] [--json]", args,
                                    options, positional, vm))
        return *code;
    if (limit < 1) {
        std::cerr << "rcbatch runs: --limit is at least 1\n";
        return exit_code(engine::ExitCode::bad_input);
    }
    try {
        auto ledger = open_ledger("runs");
        std::vector<jobs::RunEntry> runs;
        if (ledger) runs = ledger->runs(job.empty() ? std::nullopt : std::optional(job), limit);
        if (as_json)
            std::cout << boost::json::serialize(jobs::runs_json(runs)) << '\n';
        else
            std::cout << jobs::runs_text(runs);
    } catch (const std::exception& e) {
        print_error("runs", e.what());
        return exit_code_for(e, engine::ExitCode::aborted);
    }
    return 0;
}

int history_command(const Args& args) {
    po::options_description options(
        "rcbatch history: every change to one order: rcbatch's, across runs and jobs (the "
        "ledger), and with a profile every other client's (the API's action lists)");
    std::string order, profile, config;
    bool as_json = false;
    options.add_options()("order", po::value(&order), "ORDER: the order id")(
        "profile", po::value(&profile),
        "read the order's action lists through this profile: changes by other users, "
        "machines and the reseller panel too")(
        "config", po::value(&config), "the profile file (default: as rcbatch run finds it)")(
        "json", po::bool_switch(&as_json), "print a JSON array instead (for scripts)");
    po::positional_options_description positional;
    positional.add("order", 1);
    po::variables_map vm;
    if (auto code = parse_arguments(
            "history", "rcbatch history ORDER [--profile NAME] [--config FILE] [--json]", args,
            options, positional, vm))
        return *code;
    if (!jobs::parse_order_id(order)) {
        std::cerr << "rcbatch history: name an order id (digits), e.g. rcbatch history 91234567\n";
        return exit_code(engine::ExitCode::bad_input);
    }
    std::optional<std::vector<jobs::LoggedAction>> log;
    bool bad_input = false;
    if (!profile.empty() || !config.empty()) {
        log = order_actions_from_api(profile, config, order, bad_input);
        if (!log && bad_input) return exit_code(engine::ExitCode::bad_input);
    }
    try {
        auto ledger = open_ledger("history");
        std::vector<jobs::ChangeEntry> changes;
        if (ledger) changes = ledger->history(order);
        const std::vector<jobs::LoggedAction>* shown = log ? &*log : nullptr;
        if (as_json)
            std::cout << boost::json::serialize(jobs::history_json(changes, shown)) << '\n';
        else
            std::cout << jobs::history_text(order, changes, shown);
    } catch (const std::exception& e) {
        print_error("history", e.what());
        return exit_code_for(e, engine::ExitCode::aborted);
    }
    // Asked for the other clients' changes and could not read them: not the whole history.
    return log || (profile.empty() && config.empty()) ? 0
                                                      : exit_code(engine::ExitCode::orders_failed);
}

}  // namespace rcbatch::cli
