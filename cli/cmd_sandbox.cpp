#include "cli/cmd_sandbox.hpp"

#include "cli/options.hpp"
#include "cli/rerun_command.hpp"
#include "sandbox/api/faults.hpp"
#include "sandbox/server/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <limits>
#include <unistd.h>

namespace rcbatch::cli {

namespace {

constexpr const char* usage =
    "usage: rcbatch sandbox [--port P] [--seed S] [--orders N] [--domains N] [--latency MS]\n"
    "                       [--faults SPEC] [--ca-out FILE] [--keepalive-requests N]\n"
    "                       [--max-connections N] [--conn-cap K] [--block-after N]\n"
    "                       [--tls-mode MODE] [--state FILE]\n"
    "Runs the API simulator on https://127.0.0.1:P until SIGINT/SIGTERM. It first prints\n"
    "RCBATCH_SANDBOX_URL, _USERID, _API_KEY and _CA lines, ready for `eval`.\n"
    "Fault SPEC, e.g. \"429=0.1,close-after=0.2,latency=50ms+10ms,stall=0.01\": kinds 429, 503,\n"
    "502, 500, close-before, close-after, stall, truncate, apply-late, not-action, huge-number,\n"
    "continue with rates 0..1; latency=D[+J], stall-time=D, apply-delay=D, retry-after=SECONDS,\n"
    "deny-user=AUTH_USERID, echo-key=1, hide-actions=1, ignore-order-ids=1, conn-cap=K,\n"
    "cap-after-read=K, block-after=N.\n"
    "TLS MODE breaks TLS on purpose: normal (default), wrong-host, expired, not-yet-valid,\n"
    "unknown-ca, tls1.0 (TLS 1.0/1.1 only), plain-http (no TLS; a plain HTTP 400 reply).\n"
    "--state FILE keeps the orders, actions and invoices between runs: loaded at start when\n"
    "the file exists (then --orders and --domains do not matter), saved after every change\n"
    "before it is answered. Give the same --port (and --seed) to keep a profile valid.\n";

int bad_arguments(const std::string& message) {
    std::cerr << "rcbatch sandbox: " << message << " (see rcbatch sandbox --help)\n";
    return exit_code(engine::ExitCode::bad_input);
}

// The command line as given, before it is checked.
struct SandboxArgs {
    sandbox::Options options;
    unsigned port = 0;
    std::size_t orders = options.sizes.backups_per_region;
    std::size_t domains = options.sizes.domains;
    long long latency_ms = -1;
    std::string faults, ca_out, tls_mode = "normal", state;
    std::size_t conn_cap = 0, block_after = 0;
};

po::options_description sandbox_options(SandboxArgs& a) {
    sandbox::Options& options = a.options;
    po::options_description desc("options");
    desc.add_options()("help,h", "show this help")("port", po::value(&a.port),
                                                   "TCP port on 127.0.0.1 (default 0: a free one)")(
        "seed", po::value(&options.seed), "seed of the generated data (default 1)")(
        "orders", po::value(&a.orders), "backup orders per region (default 300)")(
        "domains", po::value(&a.domains), "domain orders (default 60)")(
        "latency", po::value(&a.latency_ms), "added latency per API request, milliseconds")(
        "faults", po::value(&a.faults), "fault spec, see above")(
        "ca-out", po::value(&a.ca_out),
        "write the CA certificate here (default: a temporary file)")(
        "keepalive-requests", po::value(&options.keepalive_requests),
        "requests per connection before Connection: close (default 100)")(
        "max-connections", po::value(&options.max_connections),
        "simultaneous connections; excess ones are closed at once (default 64)")(
        "conn-cap", po::value(&a.conn_cap),
        "a connection accepted while K are open is dropped at once (the spec's conn-cap)")(
        "block-after", po::value(&a.block_after),
        "after N drops every /api/ request is closed unanswered (the spec's block-after)")(
        "tls-mode", po::value(&a.tls_mode), "break TLS on purpose, see above (default normal)")(
        "state", po::value(&a.state),
        "keep the orders, actions and invoices in FILE between runs (see above)");
    return desc;
}

// Checks the arguments and puts them into `a.options`; the exit code of a bad one, else 0.
int check_sandbox_args(SandboxArgs& a, const po::variables_map& vm) {
    sandbox::Options& options = a.options;
    if (a.port > std::numeric_limits<std::uint16_t>::max())
        return bad_arguments("--port must be 0..65535");
    if (a.orders > 1'000'000) return bad_arguments("--orders must be at most 1000000");
    if (a.domains > 1'000'000) return bad_arguments("--domains must be at most 1000000");
    if (options.keepalive_requests < 1)
        return bad_arguments("--keepalive-requests must be at least 1");
    if (options.max_connections < 1) return bad_arguments("--max-connections must be at least 1");
    if (auto mode = sandbox::parse_tls_mode(a.tls_mode))
        options.tls_mode = *mode;
    else
        return bad_arguments("--tls-mode is one of " + std::string(sandbox::tls_mode_names()));
    try {
        options.faults = sandbox::parse_fault_spec(a.faults);
    } catch (const std::invalid_argument& e) {
        return bad_arguments(e.what());
    }
    if (a.conn_cap > 1'000'000) return bad_arguments("--conn-cap must be at most 1000000");
    if (vm.count("conn-cap")) options.faults.conn_cap = a.conn_cap;
    if (vm.count("block-after")) options.faults.block_after = a.block_after;
    if (vm.count("latency")) {
        if (a.latency_ms < 0 || a.latency_ms > 600'000)
            return bad_arguments("--latency must be 0..600000 ms");
        options.faults.latency = std::chrono::milliseconds(a.latency_ms);
    }
    options.port = static_cast<std::uint16_t>(a.port);
    options.state_file = a.state;
    options.sizes.backups_per_region = a.orders;
    options.sizes.domains = a.domains;
    return 0;
}

// One line on stderr: what the state file holds now.
void tell_state(const sandbox::Service& service, const std::filesystem::path& file) {
    const sandbox::Dataset& d = service.data();
    std::cerr << "rcbatch sandbox: state " << file.string() << ": " << d.orders.size()
              << " orders, " << d.actions.size() << " actions, " << d.invoices.size()
              << " invoices\n";
}

// Serves until SIGINT or SIGTERM; exit 2 when the server cannot start.
int serve_sandbox(const sandbox::Options& options, std::string ca_out) {
    boost::asio::io_context ioc;
    std::unique_ptr<sandbox::Server> server;
    bool temporary_ca = false;
    try {
        server = std::make_unique<sandbox::Server>(ioc, options);
        if (ca_out.empty()) {
            ca_out = (std::filesystem::temp_directory_path() /
                      ("rcbatch-sandbox-ca-" + std::to_string(::getpid()) + ".pem"))
                         .string();
            temporary_ca = true;
        }
        server->write_ca(ca_out);
        if (!options.state_file.empty()) tell_state(server->service(), options.state_file);
    } catch (const std::exception& e) {
        std::cerr << "rcbatch sandbox: cannot start: " << e.what()
                  << "\n";  // a port in use, a CA file
        return exit_code(engine::ExitCode::bad_input);
    }

    // Armed before the settings are printed: whoever reads them may send SIGTERM at once.
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) server->stop();
    });

    std::cout << "RCBATCH_SANDBOX_URL=" << server->url() << "\n"
              << "RCBATCH_SANDBOX_USERID=" << server->userid() << "\n"
              << "RCBATCH_SANDBOX_API_KEY=" << server->api_key() << "\n"
              << "RCBATCH_SANDBOX_CA=" << shell_word(ca_out) << std::endl;
    ioc.run();
    server.reset();
    if (temporary_ca) {
        std::error_code ignored;
        std::filesystem::remove(ca_out, ignored);
    }
    return 0;
}

}  // namespace

int run_sandbox_command(const std::vector<std::string>& args) {
    SandboxArgs a;
    const po::options_description desc = sandbox_options(a);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        return bad_arguments(e.what());
    }
    if (vm.count("help")) {
        std::cout << usage << "\noptions:\n" << options_help(desc);
        return 0;
    }
    if (const int bad = check_sandbox_args(a, vm)) return bad;
    return serve_sandbox(a.options, a.ca_out);
}

}  // namespace rcbatch::cli
