#pragma once
// The ledger as `rcbatch serve`'s pages read it (issue 24): runs, one run, a run's changes,
// an order's changes across runs and jobs, a domain's, job names. It opens the ledger
// read-only (SqliteDb::read_only): a WAL reader never blocks a running job nor waits for it,
// and never writes. Each query is a few short read transactions along an index
// (ledger_schema.hpp, version 4), keyset-paged, never OFFSET.
//
// Paging: a query returns at most `limit` rows (clamped to 1..max_page_rows) in a Page whose
// `more` says whether another page follows; the next page is asked for with before_id = the
// last row's id (0: the first page). A cursor that names no row gives an empty page.
// Every text is as the ledger holds it: untrusted, for the page to escape.
// Every failure throws SqliteError with a one-line message naming the ledger. One thread at
// a time (the connection has no mutex of its own).

#include "jobs/run_folder/read_back.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rcbatch::jobs {

// A run's state is read_back.hpp's RunState (to_string names it): unfinished, running while
// its job's lock is held, else died; finished, stopped when its stop reason is other than ""
// or "none".
std::optional<RunState> run_state_named(std::string_view name);  // nullopt for anything else

struct RunFilter {
    std::string job = {};  // "" for every job
    std::optional<RunState> state = {};
    // Unix seconds, 0 = open: started_from <= started < started_to.
    std::int64_t started_from = 0, started_to = 0;
    std::int64_t before_id = 0;  // the last row of the page before; 0 for the first
    int limit = 50;
};

struct RunRow {
    RunEntry run;
    RunState state = RunState::running;
    // summary.json's outcome counts ("ok" -> 12); whatever is not a count is left out.
    std::map<std::string, std::int64_t> outcomes;
    // Currency -> thousandths charged by its changes with outcome ok (the ledger's amounts are
    // negative for a debit; here a debit is positive, a refund negative).
    std::map<std::string, std::int64_t> charged;
    std::int64_t wall_seconds = 0;  // finished - started; 0 while unfinished
};

template <class Row>
struct Page {
    std::vector<Row> rows;
    bool more = false;  // another page follows: ask with before_id = rows.back() id
};

// What a page of changes is keyed by.
enum class ChangesBy { order, target, run };

class LedgerView {
  public:
    static constexpr int max_page_rows = 500;
    static constexpr int default_busy_timeout_ms = 2'000;

    // Opens <state_dir>/ledger.sqlite read-only. Throws SqliteError when it is missing,
    // unreadable, or of another schema version (an older one: any rcbatch command that opens
    // the ledger, such as `rcbatch runs`, brings it up to date).
    explicit LedgerView(const std::filesystem::path& state_dir,
                        int busy_timeout_ms = default_busy_timeout_ms);

    // Runs newest first (by start, then id), filtered.
    Page<RunRow> runs(const RunFilter& filter);
    std::optional<RunRow> run(std::int64_t id);
    // A run's changes, newest first.
    Page<ChangeEntry> run_changes(std::int64_t run, std::int64_t before_id, int limit);
    // Every change sent to `order_id`, any run, job or account, newest first.
    Page<ChangeEntry> order_changes(const std::string& order_id, std::int64_t before_id, int limit);
    // Every change whose target was given as `target` (a domain name), newest first.
    Page<ChangeEntry> target_changes(const std::string& target, std::int64_t before_id, int limit);
    // The last finished run of kind "run" of each job, in job order, at most max_page_rows
    // jobs (rcbatch serve's /metrics).
    std::vector<RunRow> last_runs_of_jobs();
    // When the newest run that succeeded (run_succeeded) among `job`'s last `look_back`
    // finished runs of kind "run" ended; nullopt when none of them did.
    std::optional<std::int64_t> last_success(const std::string& job, int look_back);
    // Job names equal to `text` or starting with it (bytewise), in order, at most `limit`.
    std::vector<std::string> jobs_named(std::string_view text, int limit);

  private:
    // Who holds a job's lock: the run its lock file names, or, when it names none (a run from
    // before run ids, or one that has not named itself yet), the job's newest run.
    struct LockHolder {
        std::string uid;
        std::int64_t newest = 0;
    };
    // (account, job) -> its lock's holder, nothing when free, asked once a query. Whether
    // `run` is that holder.
    using LockCache = std::map<std::pair<std::string, std::string>, std::optional<LockHolder>>;
    bool lock_held(const RunEntry& run, LockCache& alive);
    RunRow row_of(RunEntry run, LockCache& alive);
    // A page of changes_query(by) with ?1 = `key`.
    template <class Key>
    Page<ChangeEntry> changes(ChangesBy by, const Key& key, std::int64_t before_id, int limit);

    std::filesystem::path state_dir_;
    SqliteDb db_;
    std::optional<SqliteStatement> charged_;  // charged_query, prepared once: a page has many rows
};

// Pure decisions, unit-tested.

// A run's state from its row and whether its job's lock is held now.
RunState run_state(const RunEntry& run, bool lock_held);
// Whether a finished run ended as `rcbatch run` exits 0: not stopped, and no order of an outcome
// that counts as failed (or of a name this rcbatch does not know) in its outcome counts.
bool run_succeeded(const RunEntry& run);
// The outcome counts of summary.json's outcomes text: an object's members whose value is a
// count (a non-negative integer), at most 64 of them, names of at most 64 bytes; anything
// else (not JSON, too long, too deep) gives what it could read, or nothing. Never throws.
std::map<std::string, std::int64_t> outcome_counts(std::string_view json);
// A runs page's query: its SQL and the values of its '?'s in order. `cursor_started`: the
// start of the run before_id names. `by_lock`: running or died, told apart by the job's lock
// after the SQL (which then has no LIMIT: the page is filled as rows pass).
struct RunQuery {
    std::string sql;
    std::vector<std::variant<std::int64_t, std::string>> values;
    bool by_lock = false;
};
RunQuery runs_query(const RunFilter& filter, std::int64_t cursor_started);
// The SQL of a page of changes joined with their runs, newest first (ChangesBy above): ?1 the
// order id, the target or the run, ?2 the cursor (ids below it), ?3 the rows to read.
std::string changes_query(ChangesBy by);
// A run's charged thousandths by currency (?1 the run).
extern const char* const charged_query;
// The first job name >= ?1 (and < ?2 when `bounded`); job_after_query: > ?1.
std::string job_from_query(bool bounded);
std::string job_after_query(bool bounded);

// The smallest text greater than every text starting with `prefix` (bytewise); "" when there
// is none (the prefix is empty or all 0xFF bytes).
std::string prefix_end(std::string_view prefix);

}  // namespace rcbatch::jobs
