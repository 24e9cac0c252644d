#include "tests/support/run_binary.hpp"

#include "tests/support/files.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace rcbatch::test {

RunResult run_rcbatch(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const OutputFiles& files) {
    char out_path[] = "/tmp/rcbatch-e2e-out-XXXXXX";
    char err_path[] = "/tmp/rcbatch-e2e-err-XXXXXX";
    char rss_path[] = "/tmp/rcbatch-e2e-rss-XXXXXX";
    const int out_fd = ::mkstemp(out_path);
    const int err_fd = ::mkstemp(err_path);
    const int rss_fd = ::mkstemp(rss_path);
    if (out_fd < 0 || err_fd < 0 || rss_fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(rss_fd);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const auto to = [](const std::string& path, int captured, int fd) {
            const int file = path.empty() ? captured : ::open(path.c_str(), O_WRONLY);
            if (file < 0) std::_Exit(126);
            ::dup2(file, fd);
        };
        to(files.out, out_fd, 1);
        to(files.err, err_fd, 2);
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        // Through peak_rss, which measures rcbatch's own peak memory (not this process's).
        std::vector<char*> argv;
        std::string probe = RCBATCH_PEAK_RSS;
        std::string binary = RCBATCH_BINARY;
        argv.push_back(probe.data());
        argv.push_back(rss_path);
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (std::string& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(probe.c_str(), argv.data());
        std::_Exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(out_fd);
    ::close(err_fd);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream(rss_path) >> r.max_rss_kib;
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    ::unlink(out_path);
    ::unlink(err_path);
    ::unlink(rss_path);
    return r;
}

}  // namespace rcbatch::test
