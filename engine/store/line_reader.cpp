#include "engine/store/line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace rcbatch::engine {

namespace {
constexpr std::size_t chunk_bytes = 64 * 1024;
}

LineReader::LineReader(RegularFile file, std::uint64_t max_line_bytes)
    : file_(std::move(file)), max_(max_line_bytes), end_(file_.fd() < 0) {}

bool LineReader::fill() {
    if (start_ > 0) {  // keep only the unread part
        buffer_.erase(0, start_);
        scanned_ -= start_;
        start_ = 0;
    }
    const std::size_t had = buffer_.size();
    buffer_.resize(had + chunk_bytes);
    ssize_t n;
    do n = ::read(file_.fd(), buffer_.data() + had, chunk_bytes);
    while (n < 0 && errno == EINTR);
    buffer_.resize(had + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (n < 0) error_ = "cannot be read (" + std::string(std::strerror(errno)) + ")";
    if (n <= 0) end_ = true;
    return n > 0;
}

bool LineReader::next(std::string& line) {
    if (!error_.empty()) return false;
    for (;;) {
        const std::size_t newline = buffer_.find('\n', scanned_);
        const std::size_t length =
            (newline == std::string::npos ? buffer_.size() : newline) - start_;
        if (length > max_) {
            error_ = "line " + std::to_string(lines_ + 1) + " is longer than the " +
                     size_text(max_) + " limit";
            return false;
        }
        if (newline != std::string::npos || (end_ && length > 0)) {
            line.assign(buffer_, start_, length);
            start_ = scanned_ = newline == std::string::npos ? buffer_.size() : newline + 1;
            ++lines_;
            return true;
        }
        scanned_ = buffer_.size();
        if (end_ || !fill()) {
            if (!error_.empty() || buffer_.size() == start_) return false;
        }
    }
}

}  // namespace rcbatch::engine
