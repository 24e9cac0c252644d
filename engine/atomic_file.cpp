#include "engine/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::engine {

namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
    throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(err ? err : EIO));
}
}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode,
                           Durability durability) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    std::string tmp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) fail("cannot write a temporary file beside", path, errno);
    bool ok = ::fchmod(fd, mode) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    if (durability == Durability::machine_crash) ok = ok && ::fsync(fd) == 0;
    const int err = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = ok ? errno : err;
        ::unlink(tmp.c_str());
        fail("cannot write", path, e);
    }
}

}  // namespace rcbatch::engine
