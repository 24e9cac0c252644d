// `rcbatch serve`: the read-only web view of the ledger and the run folders (serve/site.hpp) on
// the HTTP server core (serve/http/http_server.hpp). Safe by default: loopback only unless a
// token guards the pages, and loud when the pages travel without TLS.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/outcome.hpp"
#include "engine/secret/redact.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_view.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"
#include "serve/http/access_token.hpp"
#include "serve/http/http_server.hpp"
#include "serve/site.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

namespace rcbatch::cli {

namespace {
constexpr const char* default_listen = "127.0.0.1:8765";
// How long a stop waits for the answers begun (a download) before it cuts them.
constexpr std::chrono::seconds stop_grace{10};

int bad_input(const std::string& message) {
    print_error("serve", message);
    return exit_code(engine::ExitCode::bad_input);
}
}  // namespace

int serve_command(const Args& args) {
    po::options_description options(
        "rcbatch serve: a read-only web view of every run and every order the ledger knows");
    std::string listen = default_listen, token_file, tls_cert, tls_key;
    options.add_options()("listen", po::value(&listen),
                          "ADDR:PORT to listen on (default 127.0.0.1:8765); an address other than "
                          "loopback needs --token-file")(
        "token-file", po::value(&token_file),
        "FILE holding the token every page needs (a bearer token or the login form's cookie); "
        "mode 0600")("tls-cert", po::value(&tls_cert), "FILE: the PEM certificate chain (HTTPS)")(
        "tls-key", po::value(&tls_key), "FILE: its PEM private key, not readable by others");
    po::positional_options_description positional;
    po::variables_map vm;
    if (auto code = parse_arguments(
            "serve",
            "rcbatch serve [--listen ADDR:PORT] [--token-file FILE] [--tls-cert FILE --tls-key "
            "FILE]",
            args, options, positional, vm))
        return *code;
    std::string error;
    auto address = serve::parse_listen_address(listen, error);
    if (!address) return bad_input("--listen " + listen + ": " + error);
    if (tls_cert.empty() != tls_key.empty())
        return bad_input("--tls-cert and --tls-key go together");
    if (!address->loopback() && token_file.empty())
        return bad_input("--listen " + address->text() +
                         " is not a loopback address: give --token-file, so only people with the "
                         "token read the pages");
    // The key, when this environment has one, is redacted wherever it appears (run folders
    // written before it was registered may quote it); key-like words are masked anyway.
    if (const char* key = std::getenv("RCBATCH_API_KEY"); key && *key) engine::register_secret(key);
    const auto state_dir = jobs::state_dir_from_env();
    if (!state_dir) return bad_input("no state directory: set RCBATCH_STATE_DIR (or HOME)");
    serve::ServerSetup setup;
    setup.listen = *address;
    try {
        if (auto why = jobs::state_dir_refusal(*state_dir)) throw jobs::StateDirError(*why);
        if (!token_file.empty()) setup.token = serve::read_token_file(token_file);
        if (!tls_cert.empty()) setup.tls = serve::TlsFiles{tls_cert, tls_key};
        // An older ledger gains the indexes the pages read by, once, here (the pages open it
        // read-only); a current one is only read, so serve may run as a user who cannot write it.
        if (std::filesystem::exists(*state_dir / jobs::Ledger::file_name)) {
            try {
                jobs::LedgerView current(*state_dir);
            } catch (const jobs::SqliteError&) {
                jobs::Ledger upgraded(*state_dir);
            }
        }
    } catch (const std::exception& e) {
        print_error("serve", e.what());
        return exit_code_for(e, engine::ExitCode::bad_input);
    }
    boost::asio::io_context ioc;
    const serve::Site site(*state_dir);
    try {
        serve::HttpServer server(ioc, setup,
                                 [&site](const serve::PageRequest& r) { return site.answer(r); });
        const std::string scheme = setup.tls ? "https" : "http";
        // On stdout, one line, flushed: a script (or a test) that listens on port 0 reads it.
        std::cout << "rcbatch serve: the ledger of " << state_dir->string() << " on " << scheme
                  << "://" << serve::ListenAddress{address->address, server.port()}.text()
                  << "/ (read-only" << (setup.token ? ", token required" : "") << ")" << std::endl;
        if (!address->loopback() && !setup.tls)
            std::cerr << "rcbatch serve: WARNING: not behind TLS: the token and every page cross "
                         "the network in clear text; give --tls-cert and --tls-key, or put it "
                         "behind a TLS proxy (contrib/nginx/rcbatch-serve.conf)\n";
        // The first SIGINT or SIGTERM stops it with grace: the answers begun (a download) are
        // finished, for at most stop_grace; the signals' default action is back, so a second
        // one ends the process at once (it writes nothing: nothing is lost).
        boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            std::cerr << "rcbatch serve: stopping; the answers begun are finished within "
                      << stop_grace.count() << " s (again to stop at once)\n";
            boost::system::error_code ignored;
            signals.clear(ignored);
            server.stop(stop_grace);
        });
        ioc.run();
    } catch (const std::exception& e) {
        print_error("serve", e.what());
        return exit_code(engine::ExitCode::bad_input);
    }
    return 0;
}

}  // namespace rcbatch::cli
