#include "jobs/state/ledger_schema.hpp"

#include <string>

namespace rcbatch::jobs {

namespace {

constexpr const char* current_schema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  folder TEXT NOT NULL UNIQUE,
  job TEXT NOT NULL,
  job_file TEXT NOT NULL,
  account TEXT NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  started INTEGER NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 1,
  stop_reason TEXT NOT NULL DEFAULT '',
  outcomes TEXT NOT NULL DEFAULT '',
  targets INTEGER NOT NULL DEFAULT 0,
  uid TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS runs_by_job ON runs(job, started);
CREATE TABLE IF NOT EXISTS changes (
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES runs(id),
  account TEXT NOT NULL,
  order_id TEXT NOT NULL,
  action TEXT NOT NULL,
  intent_at INTEGER NOT NULL,
  outcome TEXT,
  evidence TEXT NOT NULL DEFAULT '',
  eaqid TEXT NOT NULL DEFAULT '',
  finished_at INTEGER NOT NULL DEFAULT 0,
  amount TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL DEFAULT '',
  invoice TEXT NOT NULL DEFAULT '',
  term TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS changes_by_order ON changes(account, order_id, action, intent_at);
CREATE INDEX IF NOT EXISTS changes_by_run ON changes(run, order_id);
)sql";

// From version 1: the runs it holds keep an empty uid (their journals have none either, so
// their resumes find them by folder).
constexpr const char* add_run_uid = "ALTER TABLE runs ADD COLUMN uid TEXT NOT NULL DEFAULT ''";

// From version 2: the changes it holds keep no money or term (nothing recorded them).
constexpr const char* add_change_money =
    "ALTER TABLE changes ADD COLUMN amount TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE changes ADD COLUMN currency TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE changes ADD COLUMN invoice TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE changes ADD COLUMN term TEXT NOT NULL DEFAULT ''";

// From version 3: the changes it holds keep no target (nothing recorded it).
constexpr const char* add_change_target =
    "ALTER TABLE changes ADD COLUMN target TEXT NOT NULL DEFAULT ''";

// Version 4's indexes, for the read-only view (ledger_view.hpp): an order's changes, a
// target's (domain search), a run's charged changes with their money (its totals read from
// the index alone, in order: a run of 150,000 changes in ~30 ms, not ~600 ms of its rows),
// runs newest first by start (a date range), and the few unfinished runs (running or died).
constexpr const char* view_indexes =
    "CREATE INDEX IF NOT EXISTS changes_by_order_id ON changes(order_id, id);"
    "CREATE INDEX IF NOT EXISTS changes_by_target ON changes(target, id) WHERE target <> '';"
    "CREATE INDEX IF NOT EXISTS changes_charged ON changes(run, currency, amount, outcome)"
    " WHERE outcome = 'ok' AND amount <> '';"
    "CREATE INDEX IF NOT EXISTS runs_by_start ON runs(started, id);"
    "CREATE INDEX IF NOT EXISTS runs_unfinished ON runs(started, id) WHERE finished = 0;";

bool has_column(SqliteDb& db, const char* table, const char* name) {
    auto column = db.prepare(std::string("SELECT 1 FROM pragma_table_info('") + table +
                             "') WHERE name = '" + name + "'");
    return column.step();
}

int user_version(SqliteDb& db) {
    auto read = db.prepare("PRAGMA user_version");
    return read.step() ? static_cast<int>(read.integer(0)) : 0;
}

}  // namespace

void ensure_ledger_schema(SqliteDb& db) {
    if (user_version(db) == ledger_schema_version) return;
    // Read again inside the write lock: another process may have migrated it meanwhile.
    SqliteTransaction migration(db);
    const int found = user_version(db);
    if (found > ledger_schema_version)
        throw SqliteError(db.path().string() + ": the ledger's schema is version " +
                          std::to_string(found) + ", newer than this rcbatch reads (" +
                          std::to_string(ledger_schema_version) + "): use the newer rcbatch");
    // Version 0 is a new file, or one whose first schema was cut short: the tables it lacks
    // are made, and version 1's runs get their uid.
    db.exec(current_schema);
    if (!has_column(db, "runs", "uid")) db.exec(add_run_uid);
    if (!has_column(db, "changes", "term")) db.exec(add_change_money);
    if (!has_column(db, "changes", "target")) db.exec(add_change_target);
    db.exec("CREATE INDEX IF NOT EXISTS runs_by_uid ON runs(uid)");
    db.exec(view_indexes);
    db.exec("PRAGMA user_version = " + std::to_string(ledger_schema_version));
    migration.commit();
}

}  // namespace rcbatch::jobs
