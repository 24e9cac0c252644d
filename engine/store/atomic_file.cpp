#include "engine/store/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::engine {

namespace {
std::filesystem::path folder_of(const std::filesystem::path& path) {
    return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

// A new name in a folder survives a power cut once the folder is synced.
bool sync_folder(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path, mode_t mode)
    : path_(std::move(path)),
      tmp_((folder_of(path_) / ("." + path_.filename().string() + ".XXXXXX")).string()) {
    fd_ = ::mkstemp(tmp_.data());
    if (fd_ < 0) fail("cannot write a temporary file beside", errno);
    if (::fchmod(fd_, mode) != 0) {
        const int err = errno;  // no destructor runs for a constructor that throws
        ::close(fd_);
        ::unlink(tmp_.c_str());
        fail("cannot write", err);
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFile::fail(std::string_view what, int err) {
    throw FileError(std::string(what) + " " + path_.string() + ": " +
                    std::strerror(err ? err : EIO));
}

void AtomicFile::write(std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write", errno);
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void AtomicFile::commit(Durability durability) {
    const bool machine = durability == Durability::machine_crash;
    if (machine && ::fsync(fd_) != 0) fail("cannot write", errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("cannot write", errno);
    if (auto why = not_replaceable(path_))
        throw FileError("cannot write " + path_.string() + ": the file " + *why +
                        " (rcbatch replaces only a regular file of its own)");
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail("cannot write", errno);
    committed_ = true;
    if (machine && !sync_folder(folder_of(path_))) fail("cannot write", errno);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode,
                           Durability durability) {
    AtomicFile file(path, mode);
    file.write(text);
    file.commit(durability);
}

}  // namespace rcbatch::engine
