#pragma once
// `rcbatch sandbox` as a child process for end-to-end tests: fork/exec of the built binary on
// 127.0.0.1:0, its RCBATCH_SANDBOX_* settings read from its stdout under a deadline, and its
// /_sandbox/ admin surface for counting what it received. The destructor stops it (SIGTERM,
// then SIGKILL) and reaps it in every path, so no test leaves one behind.

#include "tests/support/child_process.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::test {

class SandboxChild {
  public:
    // Starts `rcbatch sandbox --port 0 --ca-out CA_FILE` plus `extra` (`--port P` there
    // replaces `--port 0`) and waits up to
    // `limit` for its settings. Throws std::runtime_error (with its stderr) when it does not
    // start or print them in time.
    SandboxChild(std::string ca_file, std::vector<std::string> extra,
                 std::chrono::milliseconds limit = std::chrono::seconds(20));
    SandboxChild(const SandboxChild&) = delete;
    SandboxChild& operator=(const SandboxChild&) = delete;

    // SIGTERM, then waits up to `limit`: its exit code (128 + signal when killed), or
    // nullopt when it was still running (it is killed when the SandboxChild goes).
    std::optional<int> stop(std::chrono::milliseconds limit = std::chrono::seconds(10));
    // SIGKILL (no chance to save or close anything), then waits up to `limit` as stop() does.
    std::optional<int> kill(std::chrono::milliseconds limit = std::chrono::seconds(10));

    // GET of an admin path ("/_sandbox/stats") over verified HTTPS, under a deadline.
    // Throws std::runtime_error when it fails or the answer is not a JSON object.
    boost::json::object admin(const std::string& target) const;
    // API requests the sandbox routed (/_sandbox/stats api_requests).
    std::uint64_t api_requests() const;
    // (received, applied) of `action` by order id (/_sandbox/counters).
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> counters(
        const std::string& action) const;

    // Writes a profile file with one profile `[profiles.NAME]` for this sandbox (the key
    // comes from $RCBATCH_API_KEY); returns `file`.
    std::filesystem::path write_profile(const std::filesystem::path& file,
                                        const std::string& name = "sandbox",
                                        const std::string& environment = "test") const;

    std::string url, userid, api_key, ca_file;
    std::uint16_t port = 0;

  private:
    ChildProcess child_;
};

}  // namespace rcbatch::test
