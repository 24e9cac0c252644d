#include "engine/store/job_lock.hpp"

#include "engine/report/report_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::engine {

namespace {
std::string_view without_line_end(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}
}  // namespace

std::string lock_holder_text(std::string_view text, const std::function<bool(long pid)>& alive) {
    text = without_line_end(text);
    if (text.empty()) return "another process";
    long pid = 0;
    if (text.starts_with("pid ")) {
        const char* digits = text.data() + 4;
        const auto [end, ec] = std::from_chars(digits, text.data() + text.size(), pid);
        if (ec != std::errc{} || end == digits) pid = 0;
    }
    if (pid <= 0 || alive(pid)) return std::string(text);
    return "another run that has just taken it; the lock file still names " + std::string(text) +
           ", which is no longer alive";
}

namespace {
constexpr std::string_view run_marker = " run ";

bool write_lock_text(int fd, const std::string& text) noexcept {
    return ::ftruncate(fd, 0) == 0 &&
           ::pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
}

// At most the first 255 bytes of the file open as `fd`.
std::string lock_file_text(int fd) {
    char text[256] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0);
}
}  // namespace

std::string lock_file_run(std::string_view text) {
    text = without_line_end(text);
    const auto at = text.rfind(run_marker);
    if (at == std::string_view::npos || !text.starts_with("pid ")) return {};
    const std::string_view uid = text.substr(at + run_marker.size());
    const bool word =
        !uid.empty() && uid.size() <= 64 && std::all_of(uid.begin(), uid.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '-' || c == '_';
        });
    return word ? std::string(uid) : std::string();
}

JobLock::JobLock(JobLock&& other) noexcept : fd_(other.fd_), text_(std::move(other.text_)) {
    other.fd_ = -1;
}

JobLock& JobLock::operator=(JobLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        text_ = std::move(other.text_);
        other.fd_ = -1;
    }
    return *this;
}

bool JobLock::name_run(std::string_view uid) noexcept {
    if (fd_ < 0 || uid.empty()) return false;
    try {
        // The old text is a prefix of the new one: written over, never cut to nothing first.
        const std::string text = text_ + std::string(run_marker) + std::string(uid) + "\n";
        return ::pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
    } catch (...) {  // std::bad_alloc
        return false;
    }
}

JobLock::~JobLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

std::optional<JobLock> JobLock::try_acquire(const std::filesystem::path& dir, std::string& holder,
                                            int mode) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error(dir.string() +
                                 ": cannot create the report folder: " + ec.message());
    const std::filesystem::path path = dir / ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                    static_cast<mode_t>(mode));
    if (fd >= 0 && mode != 0600) ::fchmod(fd, static_cast<mode_t>(mode));
    if (fd < 0 && errno == EEXIST) fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        throw std::runtime_error(path.string() +
                                 ": cannot open the job lock: " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const std::string text = lock_file_text(fd);
        ::close(fd);
        if (error != EWOULDBLOCK)
            throw std::runtime_error(path.string() +
                                     ": cannot take the job lock: " + std::strerror(error));
        holder = lock_holder_text(text, [](long pid) {
            return ::kill(static_cast<pid_t>(pid), 0) == 0 ||
                   errno == EPERM;  // alive, another user's
        });
        return std::nullopt;
    }
    JobLock lock(fd);
    lock.text_ = "pid " + std::to_string(::getpid()) + " since " +
                 iso8601_utc(std::chrono::system_clock::now());
    if (!write_lock_text(fd, lock.text_ + "\n"))  // `lock` closes fd
        throw std::runtime_error(path.string() +
                                 ": cannot write the job lock: " + std::strerror(errno));
    return lock;
}

bool JobLock::held(const std::filesystem::path& dir) { return held_by(dir).has_value(); }

std::optional<std::string> JobLock::held_by(const std::filesystem::path& dir) {
    const std::filesystem::path path = dir / ".lock";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        throw std::runtime_error(path.string() +
                                 ": cannot check the job lock: " + std::strerror(errno));
    }
    // A shared lock conflicts with the holder's exclusive one; ours is dropped with the fd.
    const bool free = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
    const int error = errno;
    const std::string text = free ? std::string() : lock_file_text(fd);
    ::close(fd);
    if (!free && error != EWOULDBLOCK)
        throw std::runtime_error(path.string() +
                                 ": cannot check the job lock: " + std::strerror(error));
    if (free) return std::nullopt;
    return text;
}

}  // namespace rcbatch::engine
