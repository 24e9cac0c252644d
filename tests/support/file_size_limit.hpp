#pragma once
// A full disk for the tests, in-process: files cannot grow past `max_bytes` while this lives
// (RLIMIT_FSIZE, with SIGXFSZ ignored so a write past it fails with EFBIG as a full disk fails
// with ENOSPC). Only the soft limit moves, so the old one comes back at the end.

#include <csignal>
#include <sys/resource.h>

namespace rcbatch::test {

class FileSizeLimit {
  public:
    explicit FileSizeLimit(rlim_t max_bytes) {
        ::getrlimit(RLIMIT_FSIZE, &old_);
        old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = old_;
        limit.rlim_cur = max_bytes;
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &old_);
        std::signal(SIGXFSZ, old_handler_);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  private:
    rlimit old_{};
    void (*old_handler_)(int) = SIG_DFL;
};

}  // namespace rcbatch::test
