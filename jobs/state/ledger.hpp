#pragma once
// The ledger: an SQLite database in the state directory that indexes every run and every
// change rcbatch sent, across runs, jobs and processes (DESIGN.md "Journal, ledger, resume
// and locking"). A run folder's journal stays the truth for its own --resume; the ledger is
// what `min-interval`, the cross-run guard, `rcbatch runs` and `rcbatch history` read.
//
// Times are Unix seconds. The database is in WAL mode with synchronous=FULL and a busy
// timeout, so several rcbatch processes share it. Every failure throws SqliteError.

#include "jobs/state/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// Who a change was made for: environment/host/auth-userid, e.g. "live/httpapi.com/123456".
struct Account {
    std::string environment;
    std::string host;  // host[:port] as the run reached it
    std::string userid;
    std::string key() const { return environment + "/" + host + "/" + userid; }
};

struct RunEntry {
    std::int64_t id = 0;
    std::string folder;  // canonical: absolute, symlinks resolved, no trailing '/'
    std::string job;
    std::string job_file;  // absolute
    std::string account;   // Account::key()
    std::string action;
    std::string kind;  // "run", "plan" or "listing"
    std::int64_t started = 0;
    std::int64_t finished = 0;  // 0 while it runs (or when it died)
    std::int64_t sessions = 1;
    std::string stop_reason;  // as summary.json says it; "" while it runs
    std::string outcomes;     // summary.json's outcome counts as JSON; "" while it runs
    std::int64_t targets = 0;
    // The run's own id (its journal header's "uid"): the same whatever path names the folder;
    // "" for runs recorded before it existed.
    std::string uid = {};
};

struct ChangeEntry {
    std::int64_t id = 0;
    std::int64_t run = 0;
    std::string account;
    std::string order_id;
    std::string action;
    std::int64_t intent_at = 0;
    std::string outcome;   // "" while open: sent (or about to be) and not decided
    std::string evidence;  // the order's message: what decided the outcome
    std::string eaqid;
    std::int64_t finished_at = 0;
    std::string job;       // of its run
    std::string folder;    // of its run
    std::string job_file;  // of its run
    // What the API's reply said of its money and term (empty when it said nothing).
    std::string amount;    // "-15.000": as the API writes it, negative for a debit
    std::string currency;  // "USD"
    std::string invoice;   // the invoice id
    std::string term;      // "12 months"
    // The target as the user gave it: an order id or a domain name ("" before schema 4).
    std::string target = {};
};

// A change's money and term, recorded with its outcome.
struct ChangeMoney {
    std::string amount, currency, invoice, term;
    bool empty() const { return amount.empty() && invoice.empty() && term.empty(); }
};

// A change about to leave: the guard's question.
struct ClaimRequest {
    std::int64_t run = 0;
    std::string account;
    std::string order_id;
    std::string action;
    std::int64_t now = 0;
    std::int64_t repeat_guard = 0;  // seconds; 0: only open intents block
    // The claim continues this run's own intent on the order (an earlier session's, found in
    // its journal): this run's open intent is its own. Else it is another target's.
    bool continues_intent = false;
    // The target as the user gave it (engine::Target::given), recorded with the intent.
    std::string target = {};
};

struct LedgerVerdict {
    bool granted = false;
    // When refused: the change that blocks it, and whether it is still open.
    std::optional<ChangeEntry> blocking;
    bool blocking_open = false;
    // Refused because another target of this run changed the order already (an id and a
    // domain name of one order).
    bool same_run = false;
    // Granted on this run's own open intent (claimed in an earlier session and never sent, or
    // in flight in this one: RunLedger tells which).
    bool reused_open = false;
};

class Ledger {
  public:
    static constexpr const char* file_name = "ledger.sqlite";

    // Opens (creating it and the folder, mode 0700) <state_dir>/ledger.sqlite with its schema.
    explicit Ledger(const std::filesystem::path& state_dir);

    // Runs: each in a transaction of its own.
    std::int64_t begin_run(const RunEntry& run);
    std::optional<RunEntry> find_run(const std::string& folder);
    std::optional<RunEntry> find_run_by_uid(const std::string& uid);  // nullopt for ""
    void resume_run(std::int64_t id);  // another session of it starts
    void finish_run(std::int64_t id, std::int64_t finished, const std::string& stop_reason,
                    const std::string& outcomes);

    // Changes: the caller holds a group transaction around these (begin_group/commit_group),
    // so they ride with the journal's group commit.
    void begin_group();
    void commit_group();
    // Grants the change (and records its intent) unless another run holds an open intent on
    // the same account, order and action, or changed it (outcome ok or unknown) within
    // `repeat_guard` seconds of `now`. A granted claim of a run that already holds an open
    // intent for it records nothing new.
    LedgerVerdict claim(const ClaimRequest& request);
    // The same question as claim(), recording nothing (a plan; a change the account's actions
    // show). `granted` when nothing blocks.
    LedgerVerdict check(const ClaimRequest& request);
    // The change on `order_id` whose action id is `eaqid` (any run, any account), if any.
    std::optional<ChangeEntry> change_with_eaqid(const std::string& eaqid,
                                                 const std::string& order_id);
    // Closes one change, by its row, if it is still open (another run's intent, settled by this
    // one from the evidence); returns whether it was.
    bool close_change(std::int64_t change, const std::string& outcome, const std::string& evidence,
                      const std::string& eaqid, std::int64_t at);
    // rcbatch settle: the run's open or `unknown` changes of that order and action take the
    // verdict of a later look at the evidence.
    void settle_doubt(std::int64_t run, const std::string& order_id, const std::string& action,
                      const std::string& outcome, const std::string& evidence,
                      const std::string& eaqid, std::int64_t at);
    // Closes the run's open intents on that order and action with how the order ended.
    void settle(std::int64_t run, const std::string& order_id, const std::string& action,
                const std::string& outcome, const std::string& evidence, const std::string& eaqid,
                std::int64_t at);
    // Records the amount, invoice and term of the run's latest change on that order and action.
    void record_money(std::int64_t run, const std::string& order_id, const std::string& action,
                      const ChangeMoney& money);

    // Reads.
    // Order id -> latest intent time of a change of `action` on `account` since `since` that
    // may have reached the customer (open, ok or unknown).
    std::map<std::string, std::int64_t> last_changes(const std::string& account,
                                                     const std::string& action, std::int64_t since);
    // One change by its row, with its run's job, folder and job file.
    std::optional<ChangeEntry> change(std::int64_t id);
    // Runs, newest first; only `job`'s when given; at most `limit`.
    std::vector<RunEntry> runs(const std::optional<std::string>& job, int limit);
    // Every change to `order_id` on any account, newest first (by the changes_by_order_id index).
    std::vector<ChangeEntry> history(const std::string& order_id);

    const std::filesystem::path& path() const noexcept { return db_.path(); }

  private:
    // `slot`'s statement, prepared the first time: claims and settlements run once an order.
    SqliteStatement& kept(std::optional<SqliteStatement>& slot, std::string_view sql);

    SqliteDb db_;
    std::optional<SqliteTransaction> group_;
    std::optional<SqliteStatement> blocking_, mine_, record_intent_, settle_, by_eaqid_, money_;
};

}  // namespace rcbatch::jobs
