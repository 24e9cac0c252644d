#include "jobs/run/run_messages.hpp"

#include "engine/text/shell_word.hpp"

#include <chrono>

namespace rcbatch::jobs {

std::string fatal_advice(const std::string& message) {
    // A TLS or proxy failure's message names its cause and fix (engine/net/tls_failure,
    // engine/net/proxy).
    if (message.rfind("TLS handshake", 0) == 0 || message.rfind("proxy ", 0) == 0) return message;
    return "the API refused the credentials (" + message +
           "); check the API key and that this machine's IP is on the API whitelist in the "
           "reseller panel";
}

void print_run_message(std::ostream& out, const engine::ProgressOptions& options,
                       const std::string& message) {
    engine::Progress progress(out, options, 0, std::chrono::steady_clock::now());
    progress.note("rcbatch " + options.command + ": " + message, std::chrono::steady_clock::now(),
                  true);
}

std::string resume_command(std::string_view rerun, const std::filesystem::path& dir) {
    return (rerun.empty() ? std::string("rcbatch run JOB.toml") : std::string(rerun)) +
           " --resume " + engine::shell_word(dir.string());
}

}  // namespace rcbatch::jobs
