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
    // The same, and when held, what the lock file says of its holder (lock_file_run).
    static std::optional<std::string> held_by(const std::filesystem::path& dir);

    // Adds the holder's run id to the lock file ("pid 123 since ... run UID"), once the run
    // knows it: a reader then tells which of the job's runs is going on (lock_file_run). An
    // older unfinished run of the job died; a resumed one is the holder. False when the file
    // could not be written: readers then judge as for a holder from before run ids.
    bool name_run(std::string_view uid) noexcept;

  private:
    explicit JobLock(int fd) : fd_(fd) {}
    int fd_ = -1;
    std::string text_;  // what the file says: "pid N since T"
};

// The run id a lock file's text names ("... run UID"); "" when it names none (a holder from
// before run ids, or one that has not named its run yet). Pure.
std::string lock_file_run(std::string_view file_text);

// Who holds a lock whose file says `file_text` ("pid 123 since ..."): that text, unless the
// pid it names is not `alive` — then the lock was taken a moment ago by a run that has not
// written its pid yet (a lost race), and the text says the named process is gone. Pure.
std::string lock_holder_text(std::string_view file_text,
                             const std::function<bool(long pid)>& alive);

}  // namespace rcbatch::engine
