#include "engine/store/private_file.hpp"

#include "engine/store/regular_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace rcbatch::engine {

namespace {
std::string system_cause(std::string_view what, int err) {
    return std::string(what) + " (" + std::strerror(err) + ")";
}

// Why open(2) failed on `path`, in words: what the name turned out to be, when that says more.
std::string open_error(const std::filesystem::path& path, int err) {
    if (err == EEXIST) return "exists already";
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return not_regular_kind(st.st_mode);
    return system_cause("cannot be opened", err);
}
}  // namespace

std::optional<std::string> not_own_regular_file(const struct stat& st) {
    if (!S_ISREG(st.st_mode)) return not_regular_kind(st.st_mode);
    if (st.st_uid != ::geteuid())
        return "belongs to another user (uid " + std::to_string(st.st_uid) + ")";
    if (st.st_nlink > 1) return "has other hard links";
    return std::nullopt;
}

std::optional<std::string> not_replaceable(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return errno == ENOENT ? std::nullopt
                               : std::optional(system_cause("cannot be examined", errno));
    return not_own_regular_file(st);
}

int open_private_fd(const std::filesystem::path& path, FileOpen how, std::string& error,
                    bool read) {
    // Judged before the open too, so that a device planted under the name is never opened.
    if (how != FileOpen::create) {
        if (auto why = not_replaceable(path)) {
            error = *why;
            return -1;
        }
    }
    if (how == FileOpen::replace && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
        error = system_cause("cannot be replaced", errno);
        return -1;
    }
    // O_EXCL (create, replace) never follows a link; O_NOFOLLOW keeps append from doing so.
    const int flags = (read ? O_RDWR : O_WRONLY) | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
                      O_CLOEXEC | (how == FileOpen::append ? O_APPEND : O_EXCL);
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) {
        error = open_error(path, errno);
        return -1;
    }
    struct stat st {};
    std::optional<std::string> why = ::fstat(fd, &st) != 0
                                         ? system_cause("cannot be examined", errno)
                                         : not_own_regular_file(st);
    if (why) {
        ::close(fd);
        error = *why;
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

std::FILE* open_private_file(const std::filesystem::path& path, FileOpen how, std::string& error) {
    const int fd = open_private_fd(path, how, error);
    if (fd < 0) return nullptr;
    std::FILE* f = ::fdopen(fd, how == FileOpen::append ? "a" : "w");
    if (f == nullptr) {
        error = system_cause("cannot be opened", errno);
        ::close(fd);
    }
    return f;
}

bool create_private_dir(const std::filesystem::path& dir, std::error_code& ec) {
    ec.clear();
    if (::mkdir(dir.c_str(), 0700) == 0) return true;
    if (errno != EEXIST) ec = std::error_code(errno, std::generic_category());
    return false;
}

}  // namespace rcbatch::engine
