// The ledger's schema migrations: an older ledger is brought up to the current version in place,
// keeping what it holds.
#include "jobs/state/ledger_schema.hpp"

#include "jobs/state/ledger.hpp"
#include "jobs/state/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <string>

namespace ledger_schema_test {

using namespace rcbatch::jobs;
using rcbatch::test::TempDir;

std::int64_t count(SqliteDb& db, const std::string& sql) {
    auto select = db.prepare(sql);
    return select.step() ? select.integer(0) : -1;
}

TEST_SUITE("ledger schema") {
    TEST_CASE("a version 3 ledger gains changes.target and the view's indexes, keeping its rows") {
        TempDir dir("ledger-schema");
        { Ledger ledger(dir.path); }
        {
            // Back to version 3 as it was: no target column, none of version 4's indexes.
            SqliteDb db(dir.path / Ledger::file_name, 1000);
            db.exec(
                "DROP INDEX changes_by_order_id; DROP INDEX changes_by_target;"
                "DROP INDEX runs_by_start; DROP INDEX runs_unfinished; DROP INDEX changes_charged;"
                "ALTER TABLE changes DROP COLUMN target; PRAGMA user_version = 3;"
                "INSERT INTO runs (folder, job, job_file, account, action, kind, started)"
                " VALUES ('/r', 'j', '/j', 'a/h/1', 'backup.renew', 'run', 5);"
                "INSERT INTO changes (run, account, order_id, action, intent_at, outcome, amount)"
                " VALUES (1, 'a/h/1', '42', 'backup.renew', 6, 'ok', '-15.000')");
        }
        Ledger ledger(dir.path);
        const std::vector<ChangeEntry> history = ledger.history("42");
        REQUIRE(history.size() == 1);
        CHECK(history[0].target.empty());
        CHECK(history[0].amount == "-15.000");
        SqliteDb db(dir.path / Ledger::file_name, 1000);
        CHECK(count(db, "PRAGMA user_version") == ledger_schema_version);
        CHECK(
            count(db, "SELECT COUNT(*) FROM pragma_table_info('changes') WHERE name = 'target'") ==
            1);
        CHECK(count(db,
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                    "('changes_by_order_id', 'changes_by_target', 'changes_charged', "
                    "'runs_by_start', 'runs_unfinished')") == 5);
    }

    TEST_CASE("a claim records the target as the user gave it") {
        TempDir dir("ledger-schema-target");
        Ledger ledger(dir.path);
        RunEntry run;
        run.folder = "/r";
        run.job = "j";
        run.started = 5;
        const std::int64_t id = ledger.begin_run(run);
        REQUIRE(
            ledger.claim({id, "a/h/1", "42", "backup.renew", 6, 0, false, "example.in"}).granted);
        const std::vector<ChangeEntry> history = ledger.history("42");
        REQUIRE(history.size() == 1);
        CHECK(history[0].target == "example.in");
    }
}

}  // namespace ledger_schema_test
