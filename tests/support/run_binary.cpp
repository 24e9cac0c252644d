#include "tests/support/run_binary.hpp"

#include "tests/support/files.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace rcbatch::test {

RunResult run_rcbatch(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
    char out_path[] = "/tmp/rcbatch-e2e-out-XXXXXX";
    char err_path[] = "/tmp/rcbatch-e2e-err-XXXXXX";
    const int out_fd = ::mkstemp(out_path);
    const int err_fd = ::mkstemp(err_path);
    if (out_fd < 0 || err_fd < 0) throw std::runtime_error("mkstemp failed");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        std::vector<char*> argv;
        std::string binary = RCBATCH_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (std::string& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        std::_Exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(out_fd);
    ::close(err_fd);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    ::unlink(out_path);
    ::unlink(err_path);
    return r;
}

}  // namespace rcbatch::test
