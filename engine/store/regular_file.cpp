#include "engine/store/regular_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::engine {

std::string not_regular_kind(unsigned mode) {
    if (S_ISDIR(mode)) return "is a directory";
    if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file";
    if (S_ISCHR(mode)) return "is a character device, not a regular file";
    if (S_ISBLK(mode)) return "is a block device, not a regular file";
    if (S_ISSOCK(mode)) return "is a socket, not a regular file";
    if (S_ISLNK(mode)) return "is a symbolic link, not a regular file";
    return "is not a regular file";
}

namespace {
std::string open_error(int err, Links links) {
    if (err == ENOENT) return "does not exist";
    if (err == ELOOP && links == Links::refuse) return not_regular_kind(S_IFLNK);
    return "cannot be opened (" + std::string(std::strerror(err)) + ")";
}

std::string too_large(std::uint64_t max_bytes) {
    return "is larger than the " + size_text(max_bytes) + " limit";
}
}  // namespace

RegularFile::RegularFile(RegularFile&& other) noexcept
    : fd_(other.fd_), size_(other.size_), mode_(other.mode_) {
    other.fd_ = -1;
}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        size_ = other.size_;
        mode_ = other.mode_;
        other.fd_ = -1;
    }
    return *this;
}

RegularFile::~RegularFile() {
    if (fd_ >= 0) ::close(fd_);
}

int RegularFile::release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

std::optional<RegularFile> open_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error,
                                             Links links) {
    const int nofollow = links == Links::refuse ? O_NOFOLLOW : 0;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | nofollow);
    if (fd < 0) {
        error = open_error(errno, links);
        return std::nullopt;
    }
    RegularFile file;
    file.fd_ = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = "cannot be read (" + std::string(std::strerror(errno)) + ")";
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = not_regular_kind(st.st_mode);
        return std::nullopt;
    }
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        error = too_large(max_bytes);
        return std::nullopt;
    }
    // Reads of a regular file never block anyway; clear the flag for the readers that follow.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    file.size_ = static_cast<std::uint64_t>(st.st_size);
    file.mode_ = static_cast<unsigned>(st.st_mode & 07777);
    return file;
}

std::optional<std::string> read_all(const RegularFile& file, std::uint64_t max_bytes,
                                    std::string& error) {
    std::string text;
    text.reserve(static_cast<std::size_t>(file.size()));
    char buffer[65536];
    // The buffer may hold a key file's key: overwritten however the read ends.
    struct Wiped {
        char* bytes;
        ~Wiped() { ::explicit_bzero(bytes, sizeof buffer); }
    } wiped{buffer};
    for (;;) {
        const ssize_t n = ::read(file.fd(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = "cannot be read (" + std::string(std::strerror(errno)) + ")";
            return std::nullopt;
        }
        if (n == 0) break;
        if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
            error = too_large(max_bytes);
            return std::nullopt;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

std::optional<std::string> read_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error,
                                             Links links) {
    auto file = open_regular_file(path, max_bytes, error, links);
    if (!file) return std::nullopt;
    return read_all(*file, max_bytes, error);
}

std::string size_text(std::uint64_t bytes) {
    if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace rcbatch::engine
