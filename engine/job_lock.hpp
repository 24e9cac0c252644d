#pragma once
// One run of a job at a time: an flock on <dir>/.lock. The kernel drops the lock when its
// holder dies (even by kill -9), so a stale lock file never blocks a later run.

#include <filesystem>
#include <optional>
#include <string>

namespace rcbatch::engine {

class JobLock {
  public:
    JobLock(JobLock&& other) noexcept;
    JobLock& operator=(JobLock&& other) noexcept;
    ~JobLock();  // releases the lock

    // Takes the lock in `dir` (created if needed), writing this process's pid and start time
    // into the file. When another process holds it: nullopt, and `holder` says who ("pid 123
    // since 2026-11-27T16:44:24Z"). Throws std::runtime_error naming the file when it cannot
    // be opened. `mode`: the lock file's when it is created (0660 in a group's shared folder,
    // whatever the umask).
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

}  // namespace rcbatch::engine
