#pragma once
// One run of a job at a time: an flock on <dir>/.lock. The kernel drops the lock when its
// holder dies (even by kill -9), so a stale lock file never blocks a later run.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

class JobLock {
  public:
    JobLock(JobLock&& other) noexcept;
    JobLock& operator=(JobLock&& other) noexcept;
    ~JobLock();  // releases the lock

    // Takes the lock in `dir` (created if needed), writing this process's pid and start time
    // into the file. When another process holds it: nullopt, and `holder` says who ("pid 123
    // since 2026-11-27T16:44:24Z", lock_holder_text()). Throws std::runtime_error naming the
    // file when it cannot be opened. `mode`: the lock file's when it is created (0660 in a
    // group's shared folder, whatever the umask).
    static std::optional<JobLock> try_acquire(const std::filesystem::path& dir, std::string& holder,
                                              int mode = 0600);

    // Whether a process holds the lock in `dir` now (another process's run is going on). A
    // folder or lock file that does not exist is not held. Never creates or changes anything.
    // Throws std::runtime_error naming the file when it exists but cannot be checked.
    static bool held(const std::filesystem::path& dir);

  private:
    explicit JobLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// Who holds a lock whose file says `file_text` ("pid 123 since ..."): that text, unless the
// pid it names is not `alive` — then the lock was taken a moment ago by a run that has not
// written its pid yet (a lost race), and the text says the named process is gone. Pure.
std::string lock_holder_text(std::string_view file_text,
                             const std::function<bool(long pid)>& alive);

}  // namespace rcbatch::engine
