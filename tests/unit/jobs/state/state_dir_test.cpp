// Where the state (ledger, locks) lives (issue #19): one machine, one ledger by default — the
// shared folder the package creates when the caller can write it — and a line saying so when a
// run uses a private ledger while the shared one exists.
#include "jobs/state/state_dir.hpp"

#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

namespace state_dir_test {

using rcbatch::jobs::choose_state_dir;
using rcbatch::jobs::StateEnv;

TEST_SUITE("state directory") {
    TEST_CASE("the choice, step by step") {
        StateEnv env;
        env.home = "/home/ann";
        env.shared = "/var/lib/rcbatch/state";
        CHECK(choose_state_dir(env)->dir == "/home/ann/.local/state/rcbatch");
        CHECK(choose_state_dir(env)->note.empty());  // no shared one on this machine

        env.xdg_state_home = "/home/ann/state";
        CHECK(choose_state_dir(env)->dir == "/home/ann/state/rcbatch");

        env.shared_exists = true;  // but ann is not in the group
        auto c = choose_state_dir(env);
        CHECK(c->dir == "/home/ann/state/rcbatch");
        CHECK(
            c->note.starts_with("the machine's shared ledger in /var/lib/rcbatch/state is not "
                                "writable for you (join the group rcbatch)"));

        env.shared_writable = true;
        c = choose_state_dir(env);
        CHECK(c->dir == "/var/lib/rcbatch/state");
        CHECK(c->note.empty());

        env.state_dir = "/srv/other";  // named: used, and said
        c = choose_state_dir(env);
        CHECK(c->dir == "/srv/other");
        CHECK(
            c->note.starts_with("this run uses the ledger in /srv/other ($RCBATCH_STATE_DIR), "
                                "not the machine's shared one"));

        env.state_dir = "/var/lib/rcbatch/state";  // the shared one by name: nothing to say
        CHECK(choose_state_dir(env)->note.empty());

        StateEnv nothing;
        CHECK_FALSE(choose_state_dir(nothing).has_value());
    }

    TEST_CASE("in a group-writable state folder, new folders are setgid and group-writable") {
        rcbatch::test::TempDir tmp{"rcbatch-state-dir"};
        const auto shared = tmp.path / "state";
        REQUIRE(::mkdir(shared.c_str(), 0700) == 0);
        REQUIRE(::chmod(shared.c_str(), 02770) == 0);
        CHECK(rcbatch::jobs::group_shared(shared));
        const auto locks = rcbatch::jobs::job_lock_dir(shared, "test/host/1", "job");
        rcbatch::jobs::make_state_folder(shared, locks);
        struct stat st {};
        REQUIRE(::stat(locks.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 02770);
        REQUIRE(::stat(locks.parent_path().c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 02770);

        const auto own = tmp.path / "own";
        rcbatch::jobs::make_state_folder(own, own / "locks" / "a");
        REQUIRE(::stat((own / "locks" / "a").c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0700);
    }
}

}  // namespace state_dir_test
