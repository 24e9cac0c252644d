#pragma once
// The ledger's schema and its migrations (SQLite's user_version is the schema's version): a
// new ledger gets the current schema; an older one is brought up to it in place, in one
// transaction, keeping every run and change it holds.
//
//   1  runs and changes
//   2  runs.uid: the run's own id (written in its journal header), so a resume finds its run
//      whatever path names the folder (a trailing '/', a symlink, another working directory)
//   3  changes.amount, currency, invoice, term: what the reply said of a change's money and
//      term, for rcbatch history
//   4  changes.target: the target as the user gave it (an order id or a domain name); the
//      indexes `rcbatch serve`'s pages read by (an order's and a domain's changes, a run's
//      charged totals, runs by date and unfinished runs)

#include "jobs/state/sqlite.hpp"

namespace rcbatch::jobs {

inline constexpr int ledger_schema_version = 4;

// Creates or migrates the schema of `db` to ledger_schema_version. Throws SqliteError when
// the database cannot be written, or names a newer schema than this rcbatch knows.
void ensure_ledger_schema(SqliteDb& db);

}  // namespace rcbatch::jobs
