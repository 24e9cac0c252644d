// rcbatch: bulk jobs against the LogicBoxes / ResellerClub reseller HTTP API.

#include "cli/cmd_sandbox.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/secret/private_memory.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
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
  serve             a read-only web view of the runs and orders (127.0.0.1:8765)
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
        {"serve", rcbatch::cli::serve_command},
        {"sandbox", rcbatch::cli::run_sandbox_command},
        {"init", rcbatch::cli::init_command},
    };
    return table;
}

// Whether everything written to `stream` reached it; `error` gets errno when flushing it failed.
bool written(std::FILE* stream, int& error) {
    errno = 0;
    const bool flushed = std::fflush(stream) == 0;
    if (!flushed) error = errno;
    return flushed && !std::ferror(stream);
}

// `code`, or 1 when the command would have ended with 0 but some of its output was lost (a
// full disk behind `> FILE`, a closed pipe): a script must not take a lost report for a good
// one (README "Exit codes"). A run keeps running when its output goes; only its end says so.
int with_output_checked(const std::string& command, int code) {
    // std::cout and std::cerr write through stdio (sync_with_stdio): flushing the FILEs is
    // flushing them, and keeps the cause of a failure at the end in errno.
    int out_error = 0, err_error = 0;
    const bool out_ok = written(stdout, out_error) && !std::cout.bad();
    const bool err_ok = written(stderr, err_error) && !std::cerr.bad();
    if (out_ok && err_ok) return code;
    if (err_ok) {
        const std::string why = out_error != 0 ? std::string(": ") + std::strerror(out_error) : "";
        std::cerr << "rcbatch" << (command.empty() ? "" : " " + command)
                  << ": cannot write to stdout" << why << "; its output is incomplete\n";
    }
    return code == 0 ? rcbatch::cli::exit_code(rcbatch::engine::ExitCode::orders_failed) : code;
}

int run_command_line(const rcbatch::cli::Args& args);

}  // namespace

int main(int argc, char** argv) {
    // A closed stdout or stderr (`rcbatch run ... | head -1`) is no reason to stop a batch
    // half-charged: writes to it fail quietly and the run's files are still written.
    std::signal(SIGPIPE, SIG_IGN);
    // No core file and no ptrace: the process holds the API key (README "The key in memory").
    rcbatch::engine::keep_memory_private();
    const rcbatch::cli::Args args(argv + 1, argv + argc);
    const int code = run_command_line(args);
    // The command's name for the message, never an unknown word from the command line.
    const bool known = !args.empty() && commands().contains(args[0]);
    return with_output_checked(known ? args[0] : "", code);
}

namespace {

int run_command_line(const rcbatch::cli::Args& args) {
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
        std::string message = "rcbatch: unknown command " + rcbatch::engine::quoted_value(args[0]);
        if (std::string guess = rcbatch::engine::closest(args[0], names); !guess.empty())
            message += " (did you mean '" + guess + "'?)";
        std::cerr << rcbatch::engine::printable(message + " (see rcbatch --help)") << '\n';
        return bad_input;
    }
    try {
        return it->second(rcbatch::cli::Args(args.begin() + 1, args.end()));
    } catch (const std::exception& e) {
        // Start-up failures (unreadable file, TLS set-up): one line, never a stack trace; an
        // engine::Error ends with its own exit code.
        rcbatch::cli::print_error(args[0], e.what());
        return rcbatch::cli::exit_code_for(e, rcbatch::engine::ExitCode::bad_input);
    }
}

}  // namespace
