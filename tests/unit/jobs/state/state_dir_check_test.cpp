// The state directory's check (jobs/state/state_dir_check.hpp): a folder others can write, or
// that belongs to someone else, is refused with the command that fixes it; the shared folder
// the package installs (root or the rcbatch account, group rcbatch, setgid, 2770) is not.

#include "jobs/state/state_dir_check.hpp"

#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace state_dir_check_test {

namespace fs = std::filesystem;
using rcbatch::jobs::open_state_dir;
using rcbatch::jobs::state_dir_refusal;
using rcbatch::jobs::StateDirError;
using rcbatch::jobs::StateDirFacts;
using rcbatch::test::TempDir;

namespace {
StateDirFacts facts(unsigned mode, unsigned owner, std::optional<unsigned> account = 990) {
    StateDirFacts f;
    f.mode = mode;
    f.owner = owner;
    f.caller = 1000;
    f.account = account;
    f.owner_name = owner == 1000 ? "me" : owner == 0 ? "root" : "uid " + std::to_string(owner);
    f.caller_name = "me";
    return f;
}
}  // namespace

TEST_SUITE("state directory check") {
    TEST_CASE("who owns it and who can write it") {
        struct Case {
            unsigned mode, owner;
            std::optional<unsigned> account;
            const char* refusal;  // a part of it; nullptr: accepted
        };
        const Case cases[] = {
            {0700, 1000, 990, nullptr},                        // the caller's, private
            {0750, 1000, 990, nullptr},                        // the caller's, group may read
            {0770, 1000, 990, nullptr},                        // the caller's group may write
            {02770, 0, 990, nullptr},                          // the package's: root, setgid
            {02770, 990, 990, nullptr},                        // the package's: the rcbatch account
            {0755, 0, std::nullopt, nullptr},                  // root's
            {0777, 1000, 990, "run: chmod o-w /s"},            // everyone may write
            {01777, 1000, 990, "mode 1777"},                   // sticky does not help
            {02772, 0, 990, "can be written by every user"},   // the shared one, opened to all
            {0700, 1001, 990, "have root run: chown me /s"},   // someone else's
            {02770, 990, std::nullopt, "belongs to uid 990"},  // no rcbatch account here
        };
        for (const Case& c : cases) {
            CAPTURE(c.mode);
            CAPTURE(c.owner);
            const auto why = state_dir_refusal("/s", facts(c.mode, c.owner, c.account));
            if (c.refusal == nullptr) {
                CHECK_FALSE(why);
                continue;
            }
            REQUIRE(why);
            CHECK(why->find(c.refusal) != std::string::npos);
            CHECK(why->find("sent twice") != std::string::npos);
            CHECK(why->find('\n') == std::string::npos);
        }
        auto not_dir = facts(0700, 1000);
        not_dir.is_dir = false;
        CHECK(state_dir_refusal("/s", not_dir) == "the state directory /s is not a folder");
        CHECK(state_dir_refusal("/my state", facts(0777, 1000))->find("chmod o-w '/my state'") !=
              std::string::npos);
    }

    TEST_CASE("a relative RCBATCH_STATE_DIR is refused with the absolute one to set") {
        const auto why = state_dir_refusal("state");
        REQUIRE(why);
        CHECK(why->find("RCBATCH_STATE_DIR=state is a relative path") == 0);
        CHECK(why->find("RCBATCH_STATE_DIR=" + (fs::current_path() / "state").string()) !=
              std::string::npos);
        CHECK_THROWS_AS(open_state_dir("state"), StateDirError);
        CHECK_FALSE(fs::exists("state"));  // refused before anything was made
    }

    TEST_CASE("on disk: a new folder is made 0700; one every user can write is refused") {
        TempDir tmp("rcbatch-state-check");
        const fs::path dir = tmp.path / "a" / "state";
        CHECK_FALSE(state_dir_refusal(dir));  // not there yet: it will be made private
        open_state_dir(dir);
        CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
        ::chmod(dir.c_str(), 0777);
        CHECK_THROWS_WITH_AS(open_state_dir(dir), doctest::Contains("chmod o-w"), StateDirError);
        ::chmod(dir.c_str(), 02770);
        CHECK_NOTHROW(open_state_dir(dir));
        if (::geteuid() != 0) {
            MESSAGE("not root: a folder of another owner cannot be made here");
            return;
        }
        REQUIRE(::chown(dir.c_str(), 4321, 4321) == 0);
        CHECK_THROWS_WITH_AS(open_state_dir(dir),
                             doctest::Contains("not to you (root), root or the rcbatch"),
                             StateDirError);
    }
}

}  // namespace state_dir_check_test
