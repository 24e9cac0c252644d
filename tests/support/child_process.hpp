#pragma once
// A child process for end-to-end tests that must act while it runs (signal it, read its
// first lines): stdout can be read line by line under a deadline, stderr goes to a file, and
// the destructor kills and reaps it in every path, so no test leaves one behind.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rcbatch::test {

class ChildProcess {
  public:
    // Starts `program` with `args` (no shell) and `env` added to the environment; `unset`
    // names variables removed from it. Throws std::runtime_error when it cannot be started.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {},
                 const std::vector<std::string>& unset = {});
    ~ChildProcess();  // SIGKILL if still running, then reaped
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // The next line of its stdout (without '\n'), or nullopt at end of output or when
    // `limit` passes first.
    std::optional<std::string> read_line(std::chrono::milliseconds limit);

    void signal(int sig);

    // Waits for it to exit: its exit code, or 128 + signal. nullopt when `limit` passed
    // (it is still running).
    std::optional<int> wait(std::chrono::milliseconds limit);

    // Everything it wrote on stderr so far.
    std::string err() const;
    // The rest of its stdout (after the lines already read); call after wait().
    std::string rest_of_out();

    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string err_path_;
    std::string pending_;  // stdout read but not yet returned as a line
    bool eof_ = false;
    std::optional<int> status_;
};

// The built rcbatch binary.
std::string rcbatch_binary();

}  // namespace rcbatch::test
