#include "jobs/state/ledger.hpp"

#include "jobs/state/ledger_rows.hpp"
#include "jobs/state/ledger_schema.hpp"
#include "jobs/state/state_dir.hpp"

namespace rcbatch::jobs {

namespace {

constexpr int busy_timeout_ms = 30'000;

}  // namespace

namespace {
std::filesystem::path ledger_file(const std::filesystem::path& state_dir) {
    make_private_dir(state_dir);
    return state_dir / Ledger::file_name;
}
}  // namespace

Ledger::Ledger(const std::filesystem::path& state_dir)
    : db_(ledger_file(state_dir), busy_timeout_ms, group_shared(state_dir) ? 0660 : 0600) {
    // Small pages: the rows are short, and a new ledger stays a few KiB (a run under a small
    // file-size limit can still record itself). A 512 KiB page cache, not SQLite's 2 MB: a run
    // touches its own rows and the indexes' recent pages, and the default cache grew a long
    // run's peak memory by 2.5 MiB (doc/bench.md "Issue #23").
    db_.exec_until_not_busy(
        "PRAGMA page_size = 1024; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;");
    ensure_ledger_schema(db_);
}

std::int64_t Ledger::begin_run(const RunEntry& run) {
    // A new run's folder is new on disk, so a row that names it is an earlier run whose folder
    // was removed and whose name (its start second) is now taken again. That run keeps its row
    // and its changes (the repeat-guard still sees them) under a name of its own.
    auto rename = db_.prepare(
        "UPDATE runs SET folder = folder || ' (run ' || id || ', folder since removed)' "
        "WHERE folder = ?");
    rename.bind(1, run.folder);
    rename.run();
    auto insert = db_.prepare(
        "INSERT INTO runs (folder, job, job_file, account, action, kind, started, targets, uid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, run.folder).bind(2, run.job).bind(3, run.job_file).bind(4, run.account);
    insert.bind(5, run.action).bind(6, run.kind).bind(7, run.started).bind(8, run.targets);
    insert.bind(9, run.uid);
    insert.run();
    return db_.last_insert_id();
}

std::optional<RunEntry> Ledger::find_run(const std::string& folder) {
    auto select = db_.prepare(std::string("SELECT ") + run_columns + " FROM runs WHERE folder = ?");
    select.bind(1, folder);
    if (!select.step()) return std::nullopt;
    return read_run(select);
}

std::optional<RunEntry> Ledger::find_run_by_uid(const std::string& uid) {
    if (uid.empty()) return std::nullopt;
    auto select = db_.prepare(std::string("SELECT ") + run_columns +
                              " FROM runs WHERE uid = ? ORDER BY id DESC LIMIT 1");
    select.bind(1, uid);
    if (!select.step()) return std::nullopt;
    return read_run(select);
}

void Ledger::resume_run(std::int64_t id) {
    auto update = db_.prepare(
        "UPDATE runs SET sessions = sessions + 1, finished = 0, stop_reason = '' WHERE id = ?");
    update.bind(1, id).run();
}

void Ledger::finish_run(std::int64_t id, std::int64_t finished, const std::string& stop_reason,
                        const std::string& outcomes) {
    auto update =
        db_.prepare("UPDATE runs SET finished = ?, stop_reason = ?, outcomes = ? WHERE id = ?");
    update.bind(1, finished).bind(2, stop_reason).bind(3, outcomes).bind(4, id).run();
}

void Ledger::begin_group() { group_.emplace(db_); }

void Ledger::commit_group() {
    if (!group_) return;
    group_->commit();
    group_.reset();
}

SqliteStatement& Ledger::kept(std::optional<SqliteStatement>& slot, std::string_view sql) {
    if (!slot) slot.emplace(db_.prepare(sql));
    return *slot;
}

LedgerVerdict Ledger::check(const ClaimRequest& request) {
    // Another run's open intent, or its change within the guard window, newest first.
    SqliteStatement& blocking =
        kept(blocking_,
             std::string("SELECT ") + change_columns +
                 " FROM changes c JOIN runs r ON r.id = c.run"
                 " WHERE c.account = ?1 AND c.order_id = ?2 AND c.action = ?3 AND c.run <> ?4"
                 "   AND (c.outcome IS NULL OR"
                 "        (?5 > 0 AND c.outcome IN ('ok', 'unknown') AND c.intent_at >= ?6 - ?5))"
                 " ORDER BY c.outcome IS NULL DESC, c.intent_at DESC LIMIT 1");
    const SqliteReset blocking_done(blocking);
    blocking.bind(1, request.account).bind(2, request.order_id).bind(3, request.action);
    blocking.bind(4, request.run).bind(5, request.repeat_guard).bind(6, request.now);
    LedgerVerdict answer;
    if (blocking.step()) {
        answer.blocking = read_change(blocking);
        answer.blocking_open = blocking.is_null(6);
        return answer;
    }
    answer.granted = true;
    return answer;
}

std::optional<ChangeEntry> Ledger::change_with_eaqid(const std::string& eaqid,
                                                     const std::string& order_id) {
    SqliteStatement& select =
        kept(by_eaqid_, std::string("SELECT ") + change_columns +
                            " FROM changes c JOIN runs r ON r.id = c.run"
                            " WHERE c.eaqid = ?1 AND c.order_id = ?2 ORDER BY c.id DESC LIMIT 1");
    const SqliteReset done(select);
    select.bind(1, eaqid).bind(2, order_id);
    if (!select.step()) return std::nullopt;
    return read_change(select);
}

LedgerVerdict Ledger::claim(const ClaimRequest& request) {
    LedgerVerdict answer = check(request);
    if (!answer.granted) return answer;
    // This run's own intent (an earlier session's, continued) or change of the order, newest
    // first: only the flow continuing that intent may go on with it.
    SqliteStatement& mine =
        kept(mine_,
             "SELECT outcome IS NULL FROM changes WHERE run = ? AND order_id = ? AND action = ?"
             " AND (outcome IS NULL OR outcome IN ('ok', 'unknown')) ORDER BY id DESC LIMIT 1");
    const SqliteReset mine_done(mine);
    mine.bind(1, request.run).bind(2, request.order_id).bind(3, request.action);
    if (mine.step()) {
        if (mine.integer(0) != 0) {
            answer.reused_open = true;
            return answer;
        }
        if (!request.continues_intent) {
            answer.granted = false;
            answer.same_run = true;
            return answer;
        }
    }
    SqliteStatement& insert =
        kept(record_intent_,
             "INSERT INTO changes (run, account, order_id, action, intent_at, target)"
             " VALUES (?, ?, ?, ?, ?, ?)");
    const SqliteReset insert_done(insert);
    insert.bind(1, request.run)
        .bind(2, request.account)
        .bind(3, request.order_id)
        .bind(4, request.action);
    insert.bind(5, request.now).bind(6, request.target).run();
    return answer;
}

bool Ledger::close_change(std::int64_t change, const std::string& outcome,
                          const std::string& evidence, const std::string& eaqid, std::int64_t at) {
    auto update = db_.prepare(
        "UPDATE changes SET outcome = ?, evidence = ?, eaqid = ?, finished_at = ?"
        " WHERE id = ? AND outcome IS NULL");
    update.bind(1, outcome).bind(2, evidence).bind(3, eaqid).bind(4, at).bind(5, change).run();
    return db_.changes() > 0;
}

void Ledger::settle_doubt(std::int64_t run, const std::string& order_id, const std::string& action,
                          const std::string& outcome, const std::string& evidence,
                          const std::string& eaqid, std::int64_t at) {
    auto update = db_.prepare(
        "UPDATE changes SET outcome = ?, evidence = ?, eaqid = ?, finished_at = ?"
        " WHERE run = ? AND order_id = ? AND action = ? AND (outcome IS NULL OR outcome = "
        "'unknown')");
    update.bind(1, outcome).bind(2, evidence).bind(3, eaqid).bind(4, at);
    update.bind(5, run).bind(6, order_id).bind(7, action).run();
}

void Ledger::settle(std::int64_t run, const std::string& order_id, const std::string& action,
                    const std::string& outcome, const std::string& evidence,
                    const std::string& eaqid, std::int64_t at) {
    SqliteStatement& update =
        kept(settle_,
             "UPDATE changes SET outcome = ?, evidence = ?, eaqid = ?, finished_at = ?"
             " WHERE run = ? AND order_id = ? AND action = ? AND outcome IS NULL");
    const SqliteReset done(update);
    update.bind(1, outcome).bind(2, evidence).bind(3, eaqid).bind(4, at);
    update.bind(5, run).bind(6, order_id).bind(7, action).run();
}

void Ledger::record_money(std::int64_t run, const std::string& order_id, const std::string& action,
                          const ChangeMoney& money) {
    SqliteStatement& update =
        kept(money_,
             "UPDATE changes SET amount = ?, currency = ?, invoice = ?, term = ? WHERE id = "
             "(SELECT MAX(id) FROM changes WHERE run = ? AND order_id = ? AND action = ?)");
    const SqliteReset done(update);
    update.bind(1, money.amount).bind(2, money.currency).bind(3, money.invoice);
    update.bind(4, money.term).bind(5, run).bind(6, order_id).bind(7, action).run();
}

std::map<std::string, std::int64_t> Ledger::last_changes(const std::string& account,
                                                         const std::string& action,
                                                         std::int64_t since) {
    auto select = db_.prepare(
        "SELECT order_id, MAX(intent_at) FROM changes"
        " WHERE account = ? AND action = ? AND intent_at >= ?"
        "   AND (outcome IS NULL OR outcome IN ('ok', 'unknown'))"
        " GROUP BY order_id");
    select.bind(1, account).bind(2, action).bind(3, since);
    std::map<std::string, std::int64_t> latest;
    while (select.step()) latest[select.text(0)] = select.integer(1);
    return latest;
}

std::vector<RunEntry> Ledger::runs(const std::optional<std::string>& job, int limit) {
    auto select = db_.prepare(
        std::string("SELECT ") + run_columns +
        " FROM runs WHERE ?1 IS NULL OR job = ?1 ORDER BY started DESC, id DESC LIMIT ?2");
    if (job)
        select.bind(1, *job);
    else
        select.bind_null(1);
    select.bind(2, static_cast<std::int64_t>(limit));
    std::vector<RunEntry> out;
    while (select.step()) out.push_back(read_run(select));
    return out;
}

std::optional<ChangeEntry> Ledger::change(std::int64_t id) {
    auto select = db_.prepare(std::string("SELECT ") + change_columns +
                              " FROM changes c JOIN runs r ON r.id = c.run WHERE c.id = ?");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return read_change(select);
}

std::vector<ChangeEntry> Ledger::history(const std::string& order_id) {
    auto select = db_.prepare(std::string("SELECT ") + change_columns +
                              " FROM changes c JOIN runs r ON r.id = c.run WHERE c.order_id = ?"
                              " ORDER BY c.intent_at DESC, c.id DESC");
    select.bind(1, order_id);
    std::vector<ChangeEntry> out;
    while (select.step()) out.push_back(read_change(select));
    return out;
}

}  // namespace rcbatch::jobs
