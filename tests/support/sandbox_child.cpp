#include "tests/support/sandbox_child.hpp"

#include "tests/support/sandbox_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

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

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Reads whole lines from `fd` into `lines` until it holds `n` or `until` passes.
void read_lines(int fd, std::size_t n, Clock::time_point until, std::vector<std::string>& lines) {
    std::string pending;
    while (lines.size() < n) {
        if (auto nl = pending.find('\n'); nl != std::string::npos) {
            lines.push_back(pending.substr(0, nl));
            pending.erase(0, nl + 1);
            continue;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) return;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return;
        char buf[1024];
        const auto got = ::read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return;
        pending.append(buf, static_cast<std::size_t>(got));
    }
}
}  // namespace

SandboxChild::SandboxChild(std::string ca, std::vector<std::string> extra, std::chrono::milliseconds limit)
    : ca_file(std::move(ca)) {
    char err_path[] = "/tmp/rcbatch-sandbox-child-err-XXXXXX";
    const int err_fd = ::mkstemp(err_path);
    if (err_fd < 0) throw std::runtime_error("mkstemp failed");
    err_path_ = err_path;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        ::close(err_fd);
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> args{RCBATCH_BINARY, "sandbox", "--port", "0", "--ca-out", ca_file};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(fds[1], 1);
        ::dup2(err_fd, 2);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    ::close(err_fd);
    ::close(fds[1]);
    out_fd_ = fds[0];
    if (pid_ < 0) throw std::runtime_error("fork failed");

    std::vector<std::string> lines;
    read_lines(out_fd_, 4, Clock::now() + limit, lines);
    std::map<std::string, std::string> values;
    for (const auto& line : lines)
        if (auto eq = line.find('='); eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
    if (!values.contains("RCBATCH_SANDBOX_URL") || !values.contains("RCBATCH_SANDBOX_USERID") ||
        !values.contains("RCBATCH_SANDBOX_API_KEY")) {
        kill_and_reap();
        throw std::runtime_error("rcbatch sandbox printed no settings: " + slurp(err_path_));
    }
    url = values["RCBATCH_SANDBOX_URL"];
    userid = values["RCBATCH_SANDBOX_USERID"];
    api_key = values["RCBATCH_SANDBOX_API_KEY"];
    port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

SandboxChild::~SandboxChild() {
    if (!status_ && pid_ > 0) stop();
    if (out_fd_ >= 0) ::close(out_fd_);
    ::unlink(err_path_.c_str());
}

void SandboxChild::kill_and_reap() {
    if (status_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::optional<int> SandboxChild::stop(std::chrono::milliseconds limit) {
    if (status_) return status_;
    if (pid_ <= 0) return std::nullopt;
    ::kill(pid_, SIGTERM);
    const auto until = Clock::now() + limit;
    for (;;) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return status_;
        }
        if (Clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // waitpid has no timeout
    }
    kill_and_reap();
    return std::nullopt;
}

boost::json::object SandboxChild::admin(const std::string& target) const {
    boost::asio::io_context ioc;
    SandboxClient client(ioc, port, slurp(ca_file));
    ClientReply reply = run_until_done(ioc, client.request(boost::beast::http::verb::get, target, {},
                                                          std::chrono::seconds(5)),
                                       std::chrono::seconds(10));
    client.close();
    if (!reply.ok() || reply.status != 200)
        throw std::runtime_error(target + ": HTTP " + std::to_string(reply.status) + " " + reply.body);
    boost::json::value v = reply.json();
    if (!v.is_object()) throw std::runtime_error(target + ": not a JSON object");
    return std::move(v.as_object());
}

std::uint64_t SandboxChild::api_requests() const {
    return admin("/_sandbox/stats").at("api_requests").to_number<std::uint64_t>();
}

std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> SandboxChild::counters(const std::string& action) const {
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> out;
    const boost::json::object all = admin("/_sandbox/counters");
    for (const auto& c : all.at("counters").as_array()) {
        const auto& o = c.as_object();
        if (o.at("action").as_string() != action) continue;
        out[std::string(o.at("order-id").as_string())] = {o.at("received").to_number<std::uint64_t>(),
                                                          o.at("applied").to_number<std::uint64_t>()};
    }
    return out;
}

}  // namespace rcbatch::test
