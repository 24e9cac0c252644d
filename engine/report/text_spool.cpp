#include "engine/report/text_spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace rcbatch::engine {

namespace {

// Text gathered before one write, and the most one read hands out.
constexpr std::size_t spool_piece = 32 * 1024;

int open_unnamed_temporary() {
    const char* dir = std::getenv("TMPDIR");
    if (dir != nullptr && dir[0] == '/') {
        const int fd = ::open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0) return fd;
    }
    return ::open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

}  // namespace

TextSpool::~TextSpool() {
    if (fd_ >= 0) ::close(fd_);
}

void TextSpool::append(std::string_view text) {
    pending_.append(text.data(), text.size());
    if (pending_.size() >= spool_piece && !in_memory_) flush();
}

void TextSpool::flush() {
    if (fd_ < 0) {
        fd_ = open_unnamed_temporary();
        if (fd_ < 0) {
            in_memory_ = true;
            return;
        }
    }
    std::size_t done = 0;
    while (done < pending_.size()) {
        const auto n = ::pwrite(fd_, pending_.data() + done, pending_.size() - done,
                                static_cast<off_t>(written_ + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(std::string("cannot write a temporary file: ") +
                                     std::strerror(n < 0 ? errno : ENOSPC));
        done += static_cast<std::size_t>(n);
    }
    written_ += done;
    pending_.clear();
}

void TextSpool::read(const std::function<void(std::string_view)>& put) const {
    std::string piece;
    for (std::uint64_t at = 0; at < written_;) {
        piece.resize(static_cast<std::size_t>(std::min<std::uint64_t>(spool_piece, written_ - at)));
        const auto n = ::pread(fd_, piece.data(), piece.size(), static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(std::string("cannot read a temporary file back: ") +
                                     (n < 0 ? std::strerror(errno) : "it is shorter"));
        put(std::string_view(piece.data(), static_cast<std::size_t>(n)));
        at += static_cast<std::uint64_t>(n);
    }
    if (!pending_.empty()) put(pending_);
}

}  // namespace rcbatch::engine
