#include "engine/private_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::engine {

std::FILE* open_private_file(const std::filesystem::path& path, const char* mode) {
    const bool append = std::strchr(mode, 'a') != nullptr;
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) return nullptr;
    std::FILE* f = ::fdopen(fd, append ? "a" : "w");
    if (f == nullptr) {
        const int error = errno;
        ::close(fd);
        errno = error;
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
