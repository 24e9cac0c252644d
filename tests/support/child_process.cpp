#include "tests/support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace rcbatch::test {

namespace {
using Clock = std::chrono::steady_clock;

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace

std::string rcbatch_binary() { return RCBATCH_BINARY; }

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::vector<std::string>& unset) {
    char err_path[] = "/tmp/rcbatch-child-err-XXXXXX";
    const int err_fd = ::mkstemp(err_path);
    if (err_fd < 0) throw std::runtime_error("mkstemp failed");
    err_path_ = err_path;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        ::close(err_fd);
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> argv_text{program};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(err_fd);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        ::dup2(pipe_fds[1], 1);
        ::dup2(err_fd, 2);
        for (const auto& name : unset) ::unsetenv(name.c_str());
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        ::execv(program.c_str(), argv.data());
        std::_Exit(127);
    }
    ::close(err_fd);
    ::close(pipe_fds[1]);
    out_fd_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
    if (!status_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    ::unlink(err_path_.c_str());
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    for (;;) {
        if (auto nl = pending_.find('\n'); nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        if (eof_) return std::nullopt;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{out_fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        char buf[4096];
        const auto n = ::read(out_fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            eof_ = true;
            continue;
        }
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

void ChildProcess::signal(int sig) {
    if (!status_ && pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds limit) {
    if (status_) return status_;
    const auto until = Clock::now() + limit;
    for (;;) {
        // Drain stdout so a chatty child never blocks on a full pipe.
        pollfd p{out_fd_, POLLIN, 0};
        while (!eof_ && ::poll(&p, 1, 0) > 0) {
            char buf[4096];
            const auto n = ::read(out_fd_, buf, sizeof buf);
            if (n <= 0) {
                eof_ = n == 0;
                break;
            }
            pending_.append(buf, static_cast<std::size_t>(n));
        }
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            status_ = exit_code_of(status);
            return status_;
        }
        if (Clock::now() >= until) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // waitpid has no timeout
    }
}

std::string ChildProcess::err() const {
    std::ifstream in(err_path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string ChildProcess::rest_of_out() {
    std::string out = std::move(pending_);
    pending_.clear();
    return out;
}

}  // namespace rcbatch::test
