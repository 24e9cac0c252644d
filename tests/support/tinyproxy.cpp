#include "tests/support/tinyproxy.hpp"

#include "tests/support/files.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace rcbatch::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

bool accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in a = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

std::uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

TinyProxy::TinyProxy(const std::filesystem::path& dir, TinyProxyConfig config)
    : log_(dir / "tinyproxy.log") {
    if (::access(program, X_OK) != 0)
        throw std::runtime_error(std::string(program) +
                                 " is missing: run scripts/setup (Debian package tinyproxy)");
    // The port was free when it was picked; another test's server may take it before tinyproxy
    // binds it ("Could not create listening sockets"): then tinyproxy exits, and a new port is
    // tried, a bounded number of times.
    constexpr int attempts = 5;
    for (int attempt = 1;; ++attempt) {
        if (start(dir, config)) return;
        if (attempt == attempts)
            throw std::runtime_error("tinyproxy did not start: " + child_->err() + slurp(log_));
    }
}

bool TinyProxy::start(const std::filesystem::path& dir, const TinyProxyConfig& config) {
    port_ = free_loopback_port();
    const auto conf = dir / "tinyproxy.conf";
    {
        std::ofstream out(conf);
        out << "Port " << port_
            << "\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\nMaxClients 100\n"
            << "LogFile \"" << log_.string() << "\"\nLogLevel Connect\n"
            << "PidFile \"" << (dir / "tinyproxy.pid").string() << "\"\n";
        for (auto p : config.connect_ports) out << "ConnectPort " << p << "\n";
        if (!config.user.empty())
            out << "BasicAuth " << config.user << " " << config.password << "\n";
    }
    child_ = std::make_unique<ChildProcess>(program,
                                            std::vector<std::string>{"-d", "-c", conf.string()});
    for (int i = 0; i < 200; ++i) {
        // Listening, and ours: a tinyproxy that could not bind has exited.
        if (accepts(port_)) return !child_->wait(std::chrono::milliseconds(100));
        if (child_->wait(std::chrono::milliseconds(50))) return false;  // it exited
    }
    return false;
}

TinyProxy::~TinyProxy() {
    if (!child_) return;
    child_->signal(SIGTERM);
    child_->wait(std::chrono::seconds(5));  // else the ChildProcess kills it
}

std::string TinyProxy::url(const std::string& user, const std::string& password) const {
    const std::string userinfo =
        user.empty() && password.empty() ? "" : user + ":" + password + "@";
    return "http://" + userinfo + "127.0.0.1:" + std::to_string(port_);
}

std::string TinyProxy::log() const { return slurp(log_); }

std::size_t TinyProxy::connects() const {
    const std::string text = log();
    std::size_t n = 0;
    for (auto at = text.find("): CONNECT "); at != std::string::npos;
         at = text.find("): CONNECT ", at + 1))
        ++n;
    return n;
}

}  // namespace rcbatch::test
