#include "engine/store/job_lock.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

namespace job_lock_test {

namespace fs = std::filesystem;
using rcbatch::engine::JobLock;
using rcbatch::engine::lock_file_run;

namespace {
fs::path temp_dir(const char* name) {
    fs::path dir =
        fs::temp_directory_path() / ("rcbatch-lock-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    return dir;
}

// Whether a child process can take the lock in `dir` (flock is per open file, so another
// process is the honest test).
bool other_process_gets_it(const fs::path& dir, std::string& holder_seen) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipe_fds[0]);
        std::string holder;
        auto lock = JobLock::try_acquire(dir, holder);
        const std::string message = (lock ? "got" : "busy:" + holder);
        (void)!::write(pipe_fds[1], message.data(), message.size());
        std::_Exit(0);
    }
    ::close(pipe_fds[1]);
    char buffer[512] = {};
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer - 1);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const std::string answer(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (answer.rfind("busy:", 0) == 0) holder_seen = answer.substr(5);
    return answer == "got";
}
}  // namespace

TEST_SUITE("job lock") {
    TEST_CASE("a second process is refused while the first holds it, and told who holds it") {
        const fs::path dir = temp_dir("held");
        std::string holder;
        auto lock = JobLock::try_acquire(dir, holder);
        REQUIRE(lock.has_value());
        std::string seen;
        CHECK_FALSE(other_process_gets_it(dir, seen));
        CHECK(seen.find("pid " + std::to_string(::getpid())) != std::string::npos);
        CHECK(seen.find(" since 20") != std::string::npos);
        lock.reset();
        CHECK(other_process_gets_it(dir, seen));
        fs::remove_all(dir);
    }

    TEST_CASE("the holder names its run; a reader sees which run holds the lock") {
        const fs::path dir = temp_dir("named");
        CHECK(JobLock::held_by(dir) == std::nullopt);
        std::string holder;
        auto lock = JobLock::try_acquire(dir, holder);
        REQUIRE(lock.has_value());
        const auto before = JobLock::held_by(dir);
        REQUIRE(before.has_value());
        CHECK(lock_file_run(*before).empty());
        CHECK(lock->name_run("3f2a9c"));
        const auto after = JobLock::held_by(dir);
        REQUIRE(after.has_value());
        CHECK(after->starts_with(before->substr(0, before->size() - 1)));  // its line, then " run"
        CHECK(lock_file_run(*after) == "3f2a9c");
        std::string seen;
        CHECK_FALSE(other_process_gets_it(dir, seen));
        CHECK(seen.ends_with(" run 3f2a9c"));
        lock.reset();
        CHECK(JobLock::held_by(dir) == std::nullopt);
        fs::remove_all(dir);
    }

    TEST_CASE("a lock file's run: only a plain word after \"run\" in a holder's text") {
        CHECK(lock_file_run("pid 12 since 2026-12-07T10:00:00Z run ab-12_CD\n") == "ab-12_CD");
        CHECK(lock_file_run("pid 12 since 2026-12-07T10:00:00Z\n").empty());
        CHECK(lock_file_run("pid 12 since 2026-12-07T10:00:00Z run \n").empty());
        CHECK(lock_file_run("pid 12 since 2026-12-07T10:00:00Z run a b").empty());
        CHECK(lock_file_run("pid 12 since 2026-12-07T10:00:00Z run <script>").empty());
        CHECK(lock_file_run("pid 12 run " + std::string(65, 'a')).empty());
        CHECK(lock_file_run("another run that has just taken it; the lock file still names pid "
                            "12 run ab, which is no longer alive")
                  .empty());
        CHECK(lock_file_run("").empty());
    }

    TEST_CASE("a lock file left by a dead process does not block") {
        const fs::path dir = temp_dir("stale");
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::string holder;
            auto lock = JobLock::try_acquire(dir, holder);
            std::_Exit(lock ? 0 : 1);  // dies holding it, without releasing anything itself
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 0);
        REQUIRE(fs::exists(dir / ".lock"));
        std::string holder;
        CHECK(JobLock::try_acquire(dir, holder).has_value());
        fs::remove_all(dir);
    }

    TEST_CASE("a lost race names the process the lock file names as no longer alive") {
        // Run A took the lock and was killed -9; run B has just taken it and not yet written
        // its pid; run C, refused, reads A's pid from the file.
        const fs::path dir = temp_dir("race");
        const pid_t a = ::fork();
        if (a == 0) {
            std::string holder;
            std::_Exit(JobLock::try_acquire(dir, holder) ? 0 : 1);
        }
        int status = 0;
        ::waitpid(a, &status, 0);
        REQUIRE(WIFEXITED(status));
        const int b = ::open((dir / ".lock").c_str(), O_RDWR | O_CLOEXEC);
        REQUIRE(b >= 0);
        REQUIRE(::flock(b, LOCK_EX | LOCK_NB) == 0);
        std::string seen;
        CHECK_FALSE(other_process_gets_it(dir, seen));
        CAPTURE(seen);
        CHECK(seen.find("pid " + std::to_string(a) + " since ") != std::string::npos);
        CHECK(seen.find("no longer alive") != std::string::npos);
        ::close(b);
        fs::remove_all(dir);
    }

    TEST_CASE("the holder's text: as written while it lives, marked when it is gone") {
        using rcbatch::engine::lock_holder_text;
        const auto alive = [](long) { return true; };
        const auto dead = [](long) { return false; };
        CHECK(lock_holder_text("pid 42 since 2026-11-27T16:44:24Z\n", alive) ==
              "pid 42 since 2026-11-27T16:44:24Z");
        CHECK(lock_holder_text("pid 42 since 2026-11-27T16:44:24Z\n", dead) ==
              "another run that has just taken it; the lock file still names pid 42 since "
              "2026-11-27T16:44:24Z, which is no longer alive");
        CHECK(lock_holder_text("", dead) == "another process");
        CHECK(lock_holder_text("garbage", dead) == "garbage");
    }

    TEST_CASE("a symbolic link planted as the lock file is refused, its target untouched") {
        const fs::path dir = temp_dir("link");
        fs::create_directories(dir);
        const fs::path target = dir / "victim";
        { std::ofstream(target) << "precious\n"; }
        fs::create_symlink(target, dir / ".lock");
        std::string holder;
        bool refused = false;
        try {
            (void)JobLock::try_acquire(dir, holder);
        } catch (const std::runtime_error& e) {
            refused = std::string(e.what()).find("cannot open the job lock") != std::string::npos;
        }
        CHECK(refused);
        std::ifstream in(target);
        std::string text;
        std::getline(in, text);
        CHECK(text == "precious");  // never truncated or written through the link
        CHECK_THROWS(JobLock::held(dir));
        fs::remove_all(dir);
    }
}

}  // namespace job_lock_test
