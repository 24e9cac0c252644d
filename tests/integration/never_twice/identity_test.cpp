// A run folder has one identity whatever path names it (issue #19, case 1): a run killed with
// its renews in doubt, resumed as DIR/ (tab completion's trailing slash), through a symlink,
// or on another state directory, settles its own open intents and renews what was never
// applied — before, it registered as a second run and skipped its own orders "in doubt",
// exit 0, never renewed. And the ledger's schema 1 is migrated in place.
#include "jobs/state/ledger_schema.hpp"
#include "tests/support/killed_run_fixture.hpp"
#include "tests/support/renew_params.hpp"

namespace identity_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
// Every order of `out` renewed by this resume, once in all, and none skipped.
void check_renewed_once(RunFixture& f, const RunOutput& out,
                        const std::vector<std::uint64_t>& ids) {
    CHECK(out.report.exit == engine::ExitCode::ok);
    CHECK(out.count("ok") == ids.size());
    CHECK(out.count("skipped") == 0);
    for (auto id : ids) {
        CAPTURE(id);
        CHECK(f.counter(id, "backup.renew").applied == 1);
    }
}
}  // namespace

TEST_SUITE("never twice: one identity per run folder") {
    TEST_CASE("a killed run resumed as DIR/, or through a symlink, renews its own orders") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 3);
        REQUIRE(ids.size() == 3);
        auto action = f.action("backup.renew", "us", renew_params(1));
        const KilledRun killed = make_killed_run(f, "renew-job", *action, ids, unix_now() - 5);
        fs::path named;
        SUBCASE("DIR/") { named = killed.dir.string() + "/"; }
        SUBCASE("a symlink to DIR") {
            named = f.reports / "latest";
            fs::create_directory_symlink(killed.dir, named);
        }
        SUBCASE("a relative path with '..'") {
            named =
                fs::relative(killed.dir.parent_path() / ".." / "renew-job" / killed.dir.filename());
        }
        CAPTURE(named);
        auto out = f.resume(action, named, f.settings(), "renew-job");
        check_renewed_once(f, out, ids);
        CHECK(out.report.dir == killed.dir);  // the hints name the folder by its one name
        CHECK(text_of(out.summary.at("run_uid")) == killed.uid);
        // One run in the ledger, its intents all closed.
        jobs::Ledger ledger(f.state_dir());
        CHECK(ledger.runs(std::nullopt, 10).size() == 1);
        CHECK(ledger.find_run_by_uid(killed.uid)->sessions == 2);
        CHECK(open_changes(f, killed.run_id, ids) == 0);
    }

    TEST_CASE("resumed on another state directory: registered there with its id, then back") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 2);
        REQUIRE(ids.size() == 2);
        auto action = f.action("backup.renew", "us", renew_params(1));
        const KilledRun killed = make_killed_run(f, "renew-job", *action, ids, unix_now() - 5);
        f.state_folder = "state-b";
        auto out = f.resume(action, killed.dir.string() + "/", f.settings(), "renew-job");
        check_renewed_once(f, out, ids);
        {
            jobs::Ledger b(f.state_dir());
            const auto run = b.find_run_by_uid(killed.uid);
            REQUIRE(run.has_value());
            CHECK(run->folder == killed.dir.string());
        }
        // Back on the first state directory: nothing is sent again, and its ledger catches up
        // with the journal, so no intent of the run stays open there to block other jobs.
        f.state_folder = "state";
        auto back = f.resume(action, killed.dir, f.settings(), "renew-job");
        CHECK(back.report.exit == engine::ExitCode::ok);
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").received == 1);
        CHECK(open_changes(f, killed.run_id, ids) == 0);
        auto other = f.run(action, std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(),
                           40s, "other-job");
        for (const auto& r : other.records)
            CHECK(text_of(r.at("message")).find("in doubt") == std::string::npos);
    }

    TEST_CASE("a ledger of schema 1 is migrated in place, keeping its runs and changes") {
        RunFixture f;
        const fs::path file = f.state_dir() / jobs::Ledger::file_name;
        fs::create_directories(f.state_dir());
        {
            jobs::SqliteDb db(file, 1000);
            db.exec(R"sql(
CREATE TABLE runs (id INTEGER PRIMARY KEY, folder TEXT NOT NULL UNIQUE, job TEXT NOT NULL,
  job_file TEXT NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL,
  started INTEGER NOT NULL, finished INTEGER NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 1, stop_reason TEXT NOT NULL DEFAULT '',
  outcomes TEXT NOT NULL DEFAULT '', targets INTEGER NOT NULL DEFAULT 0);
CREATE INDEX runs_by_job ON runs(job, started);
CREATE TABLE changes (id INTEGER PRIMARY KEY, run INTEGER NOT NULL REFERENCES runs(id),
  account TEXT NOT NULL, order_id TEXT NOT NULL, action TEXT NOT NULL,
  intent_at INTEGER NOT NULL, outcome TEXT, evidence TEXT NOT NULL DEFAULT '',
  eaqid TEXT NOT NULL DEFAULT '', finished_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX changes_by_order ON changes(account, order_id, action, intent_at);
CREATE INDEX changes_by_run ON changes(run, order_id);
INSERT INTO runs (folder, job, job_file, account, action, kind, started)
  VALUES ('/r/old/20261101T000000Z', 'old', '/jobs/old.toml', 'a/h/1', 'backup.renew', 'run', 5);
INSERT INTO changes (run, account, order_id, action, intent_at, outcome)
  VALUES (1, 'a/h/1', '42', 'backup.renew', 7, 'ok');
PRAGMA user_version = 1;
)sql");
        }
        jobs::Ledger ledger(f.state_dir());
        const auto old = ledger.find_run("/r/old/20261101T000000Z");
        REQUIRE(old.has_value());
        CHECK(old->uid.empty());
        CHECK(ledger.history("42").size() == 1);
        const auto mine = ledger.begin_run({0, "/r/new/1", "new", "/jobs/new.toml", "a/h/1",
                                            "backup.renew", "run", 8, 0, 1, "", "", 1, "u-1"});
        CHECK(ledger.find_run_by_uid("u-1")->id == mine);
        ledger.begin_group();
        CHECK_FALSE(ledger.claim({mine, "a/h/1", "42", "backup.renew", 9, 3600}).granted);
        ledger.commit_group();
        {
            jobs::SqliteDb db(file, 1000);
            auto version = db.prepare("PRAGMA user_version");
            REQUIRE(version.step());
            CHECK(version.integer(0) == jobs::ledger_schema_version);
            db.exec("PRAGMA user_version = 99");
        }
        CHECK_THROWS_WITH_AS(jobs::Ledger{f.state_dir()},
                             doctest::Contains("newer than this rcbatch reads"), jobs::SqliteError);
    }
}

}  // namespace identity_test
