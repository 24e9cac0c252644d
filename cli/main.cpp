// rcbatch: bulk jobs against the LogicBoxes / ResellerClub reseller HTTP API.

#include "cli/cmd_sandbox.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "config/suggest.hpp"
#include "engine/display_text.hpp"

#include <csignal>
#include <exception>
#include <iostream>
#include <map>

namespace {

constexpr const char* usage = R"(usage: rcbatch COMMAND [ARGS]

commands:
  run JOB.toml      run a job (see rcbatch run --help)
  plan JOB.toml     preview a job: the same as run --dry-run
  report RUN_DIR    summarize a run folder; --all, --json, --html, --failed-ids (a target file)
  settle RUN_DIR    look up the evidence for a run's orders in doubt and record the verdict
  runs              the runs of this machine, from the ledger; --job NAME, --json
  history ORDER     every change rcbatch sent to an order, across runs and jobs; --json
  validate JOB...   check job files; exit 0 when all are good, 2 otherwise
  actions [NAME]    list the API actions and their parameters
  sandbox           run the API simulator on a loopback port
  init              write a commented profile file to start from

options:
  -h, --help        show this help (rcbatch COMMAND --help for a command's)
  --version         show the version

exit codes: 0 all orders ok or skipped; 1 some orders failed or unknown;
            2 bad job, profile or arguments; 3 run aborted (resumable); 4 job locked
)";

using Command = int (*)(const rcbatch::cli::Args&);

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table{
        {"validate", rcbatch::cli::validate_command},
        {"actions", rcbatch::cli::actions_command},
        {"run", rcbatch::cli::run_command},
        {"plan", rcbatch::cli::plan_command},
        {"report", rcbatch::cli::report_command},
        {"settle", rcbatch::cli::settle_command},
        {"runs", rcbatch::cli::runs_command},
        {"history", rcbatch::cli::history_command},
        {"sandbox", rcbatch::cli::run_sandbox_command},
        {"init", rcbatch::cli::init_command},
    };
    return table;
}

}  // namespace

int main(int argc, char** argv) {
    // A closed stdout or stderr (`rcbatch run ... | head -1`) is no reason to stop a batch
    // half-charged: writes to it fail quietly and the run's files are still written.
    std::signal(SIGPIPE, SIG_IGN);
    const rcbatch::cli::Args args(argv + 1, argv + argc);
    const int bad_input = rcbatch::cli::exit_code(rcbatch::engine::ExitCode::bad_input);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
        return args.empty() ? bad_input : 0;
    }
    if (args[0] == "--version") {
        std::cout << "rcbatch " << RCBATCH_VERSION << '\n';
        return 0;
    }
    auto it = commands().find(args[0]);
    if (it == commands().end()) {
        std::vector<std::string_view> names;
        for (const auto& [name, command] : commands()) names.push_back(name);
        std::string message = "rcbatch: unknown command '" + args[0] + "'";
        if (std::string guess = rcbatch::config::closest(args[0], names); !guess.empty())
            message += " (did you mean '" + guess + "'?)";
        std::cerr << rcbatch::engine::printable(message + " (see rcbatch --help)") << '\n';
        return bad_input;
    }
    try {
        return it->second(rcbatch::cli::Args(args.begin() + 1, args.end()));
    } catch (const std::exception& e) {
        // Start-up failures (unreadable file, TLS set-up): one line, never a stack trace.
        rcbatch::cli::print_error(args[0], e.what());
        return bad_input;
    }
}
