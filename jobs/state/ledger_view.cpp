#include "jobs/state/ledger_view.hpp"

#include "engine/outcome.hpp"
#include "engine/store/job_lock.hpp"
#include "jobs/state/ledger_rows.hpp"
#include "jobs/state/ledger_schema.hpp"
#include "jobs/state/state_dir.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <limits>
#include <utility>
#include <variant>

namespace rcbatch::jobs {

namespace {

constexpr std::size_t max_outcomes_text = 64 * 1024;
constexpr std::size_t max_outcome_kinds = 64;
constexpr std::size_t max_outcome_name = 64;

std::int64_t page_size(int limit) { return std::clamp(limit, 1, LedgerView::max_page_rows); }

// 0 (the first page) reads from the newest row.
std::int64_t cursor(std::int64_t before_id) {
    return before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
}

void bind_all(SqliteStatement& s,
              const std::vector<std::variant<std::int64_t, std::string>>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        if (const auto* n = std::get_if<std::int64_t>(&values[i]))
            s.bind(index, *n);
        else
            s.bind(index, std::get<std::string>(values[i]));
    }
}

}  // namespace

std::optional<RunState> run_state_named(std::string_view name) {
    for (RunState s : {RunState::running, RunState::finished, RunState::stopped, RunState::died})
        if (to_string(s) == name) return s;
    return std::nullopt;
}

RunState run_state(const RunEntry& run, bool lock_held) {
    if (run.finished == 0) return lock_held ? RunState::running : RunState::died;
    return run.stop_reason.empty() || run.stop_reason == "none" ? RunState::finished
                                                                : RunState::stopped;
}

std::map<std::string, std::int64_t> outcome_counts(std::string_view json) {
    std::map<std::string, std::int64_t> counts;
    if (json.empty() || json.size() > max_outcomes_text) return counts;
    try {
        boost::system::error_code error;
        const boost::json::value value = boost::json::parse(json, error);
        if (error || !value.is_object()) return counts;
        for (const auto& [name, count] : value.get_object()) {
            if (counts.size() == max_outcome_kinds) break;
            if (name.size() > max_outcome_name) continue;
            if (count.is_int64() && count.get_int64() >= 0)
                counts[std::string(name)] = count.get_int64();
            else if (count.is_uint64() &&
                     count.get_uint64() <=
                         static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                counts[std::string(name)] = static_cast<std::int64_t>(count.get_uint64());
        }
    } catch (const std::exception&) {
        // Out of memory on a hostile text: what was read so far.
    }
    return counts;
}

std::string prefix_end(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
    if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    return end;
}

LedgerView::LedgerView(const std::filesystem::path& state_dir, int busy_timeout_ms)
    : state_dir_(state_dir),
      db_(SqliteDb::read_only(state_dir / Ledger::file_name, busy_timeout_ms)) {
    auto version = db_.prepare("PRAGMA user_version");
    const std::int64_t found = version.step() ? version.integer(0) : 0;
    if (found != ledger_schema_version)
        throw SqliteError(db_.path().string() + ": the ledger's schema is version " +
                          std::to_string(found) + ", this rcbatch reads version " +
                          std::to_string(ledger_schema_version) +
                          (found < ledger_schema_version
                               ? ": any rcbatch command that opens it (rcbatch runs) updates it"
                               : ": use the newer rcbatch"));
}

bool LedgerView::lock_held(const RunEntry& run, LockCache& alive) {
    auto key = std::make_pair(run.account, run.job);
    auto found = alive.find(key);
    if (found == alive.end()) {
        // One run of a job holds its lock at a time. An unfinished run that does not hold it
        // died, whoever holds the lock now.
        std::optional<std::string> text;
        try {
            text = engine::JobLock::held_by(job_lock_dir(state_dir_, run.account, run.job));
        } catch (const std::exception&) {
            text = "";  // a lock that cannot be checked counts as held
        }
        std::optional<LockHolder> holder;
        if (text) {
            holder.emplace().uid = engine::lock_file_run(*text);
            if (holder->uid.empty()) {
                auto newest = db_.prepare(
                    "SELECT id FROM runs WHERE job = ? AND account = ? ORDER BY started DESC, "
                    "id DESC LIMIT 1");
                newest.bind(1, run.job).bind(2, run.account);
                if (newest.step()) holder->newest = newest.integer(0);
            }
        }
        found = alive.emplace(std::move(key), std::move(holder)).first;
    }
    const std::optional<LockHolder>& holder = found->second;
    if (!holder) return false;
    return holder->uid.empty() ? holder->newest == run.id : holder->uid == run.uid;
}

RunRow LedgerView::row_of(RunEntry run, LockCache& alive) {
    RunRow row;
    row.state = run_state(run, run.finished == 0 && lock_held(run, alive));
    row.outcomes = outcome_counts(run.outcomes);
    if (run.finished != 0) row.wall_seconds = std::max<std::int64_t>(0, run.finished - run.started);
    if (!charged_) charged_.emplace(db_.prepare(charged_query));
    SqliteReset done(*charged_);
    charged_->bind(1, run.id);
    while (charged_->step()) row.charged[charged_->text(0)] = -charged_->integer(1);
    row.run = std::move(run);
    return row;
}

RunQuery runs_query(const RunFilter& filter, std::int64_t cursor_started) {
    RunQuery q;
    q.sql = std::string("SELECT ") + run_columns + " FROM runs WHERE 1";
    if (!filter.job.empty()) {
        q.sql += " AND job = ?";
        q.values.emplace_back(filter.job);
    }
    // Running and died differ only by a lock: the few unfinished rows in SQL (runs_unfinished).
    q.by_lock =
        filter.state && (*filter.state == RunState::running || *filter.state == RunState::died);
    if (q.by_lock)
        q.sql += " AND finished = 0";
    else if (filter.state == RunState::finished)
        q.sql += " AND finished <> 0 AND stop_reason IN ('', 'none')";
    else if (filter.state == RunState::stopped)
        q.sql += " AND finished <> 0 AND stop_reason NOT IN ('', 'none')";
    if (filter.started_from != 0) {
        q.sql += " AND started >= ?";
        q.values.emplace_back(filter.started_from);
    }
    if (filter.started_to != 0) {
        q.sql += " AND started < ?";
        q.values.emplace_back(filter.started_to);
    }
    if (filter.before_id > 0) {
        q.sql += " AND (started, id) < (?, ?)";
        q.values.emplace_back(cursor_started);
        q.values.emplace_back(filter.before_id);
    }
    q.sql += " ORDER BY started DESC, id DESC";
    if (!q.by_lock) {
        q.sql += " LIMIT ?";
        q.values.emplace_back(page_size(filter.limit) + 1);
    }
    return q;
}

std::string changes_query(ChangesBy by) {
    std::string where;
    switch (by) {
        case ChangesBy::order:
            where = "c.order_id = ?1 AND c.id < ?2";
            break;
        case ChangesBy::target:
            // "target <> ''" lets SQLite use the partial index changes_by_target.
            where = "c.target = ?1 AND c.target <> '' AND c.id < ?2";
            break;
        case ChangesBy::run:
            // The page's ids from changes_by_run alone (it holds each row's id), then only
            // their rows: a run of 10,000 changes sorts 10,000 ids, not 10,000 rows.
            where =
                "c.id IN (SELECT id FROM changes WHERE run = ?1 AND id < ?2 ORDER BY id DESC "
                "LIMIT ?3)";
            break;
    }
    return std::string("SELECT ") + change_columns +
           " FROM changes c JOIN runs r ON r.id = c.run WHERE " + where +
           " ORDER BY c.id DESC LIMIT ?3";
}

// Thousandths, summed exactly as integers (the API's amounts have 3 decimals at most), from
// the covering index changes_charged alone.
const char* const charged_query =
    "SELECT currency, SUM(CAST(ROUND(CAST(amount AS REAL) * 1000) AS INTEGER)) FROM changes"
    " WHERE run = ?1 AND outcome = 'ok' AND amount <> '' GROUP BY currency";

// One seek along runs_by_job for each name, however many runs each has.
std::string job_from_query(bool bounded) {
    return std::string("SELECT job FROM runs WHERE job >= ?1") + (bounded ? " AND job < ?2" : "") +
           " ORDER BY job LIMIT 1";
}

std::string job_after_query(bool bounded) {
    return std::string("SELECT job FROM runs WHERE job > ?1") + (bounded ? " AND job < ?2" : "") +
           " ORDER BY job LIMIT 1";
}

Page<RunRow> LedgerView::runs(const RunFilter& filter) {
    const std::int64_t limit = page_size(filter.limit);
    std::int64_t cursor_started = 0;
    if (filter.before_id > 0) {
        // The cursor's place in (started, id) order.
        auto place = db_.prepare("SELECT started FROM runs WHERE id = ?");
        place.bind(1, filter.before_id);
        if (!place.step()) return {};
        cursor_started = place.integer(0);
    }
    const RunQuery q = runs_query(filter, cursor_started);
    const bool by_lock = q.by_lock;
    auto select = db_.prepare(q.sql);
    bind_all(select, q.values);
    std::vector<RunEntry> entries;
    LockCache alive;
    while (static_cast<std::int64_t>(entries.size()) <= limit && select.step()) {
        RunEntry run = read_run(select);
        if (by_lock) {
            if (lock_held(run, alive) != (*filter.state == RunState::running)) continue;
        }
        entries.push_back(std::move(run));
    }
    select.reset();  // no read transaction held while the rows are completed
    Page<RunRow> page;
    page.more = static_cast<std::int64_t>(entries.size()) > limit;
    if (page.more) entries.pop_back();
    for (RunEntry& run : entries) page.rows.push_back(row_of(std::move(run), alive));
    return page;
}

std::optional<RunRow> LedgerView::run(std::int64_t id) {
    auto select = db_.prepare(std::string("SELECT ") + run_columns + " FROM runs WHERE id = ?");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    RunEntry entry = read_run(select);
    select.reset();
    LockCache alive;
    return row_of(std::move(entry), alive);
}

template <class Key>
Page<ChangeEntry> LedgerView::changes(ChangesBy by, const Key& key, std::int64_t before_id,
                                      int limit) {
    const std::int64_t n = page_size(limit);
    auto select = db_.prepare(changes_query(by));
    select.bind(1, key).bind(2, cursor(before_id)).bind(3, n + 1);
    Page<ChangeEntry> page;
    while (select.step()) page.rows.push_back(read_change(select));
    page.more = static_cast<std::int64_t>(page.rows.size()) > n;
    if (page.more) page.rows.pop_back();
    return page;
}

Page<ChangeEntry> LedgerView::order_changes(const std::string& order_id, std::int64_t before_id,
                                            int limit) {
    return changes(ChangesBy::order, order_id, before_id, limit);
}

Page<ChangeEntry> LedgerView::target_changes(const std::string& target, std::int64_t before_id,
                                             int limit) {
    if (target.empty()) return {};
    return changes(ChangesBy::target, target, before_id, limit);
}

Page<ChangeEntry> LedgerView::run_changes(std::int64_t run, std::int64_t before_id, int limit) {
    return changes(ChangesBy::run, run, before_id, limit);
}

std::vector<std::string> LedgerView::jobs_named(std::string_view text, int limit) {
    const std::int64_t n = page_size(limit);
    const std::string end = prefix_end(text);
    // One seek along runs_by_job for each name, however many runs each has.
    const std::string upper = end.empty() ? "" : " AND job < ?2";
    auto first =
        db_.prepare("SELECT job FROM runs WHERE job >= ?1" + upper + " ORDER BY job LIMIT 1");
    auto next =
        db_.prepare("SELECT job FROM runs WHERE job > ?1" + upper + " ORDER BY job LIMIT 1");
    std::vector<std::string> names;
    SqliteStatement* seek = &first;
    std::string from(text);
    while (static_cast<std::int64_t>(names.size()) < n) {
        seek->bind(1, from);
        if (!end.empty()) seek->bind(2, end);
        const bool found = seek->step();
        if (found) from = seek->text(0);
        seek->reset();
        if (!found) break;
        names.push_back(from);
        seek = &next;
    }
    return names;
}

std::vector<RunRow> LedgerView::last_runs_of_jobs() {
    auto last = db_.prepare(std::string("SELECT ") + run_columns +
                            " FROM runs WHERE job = ? AND kind = 'run' AND finished > 0"
                            " ORDER BY started DESC, id DESC LIMIT 1");
    std::vector<RunRow> rows;
    LockCache alive;
    for (const std::string& job : jobs_named("", max_page_rows)) {
        last.bind(1, job);
        std::optional<RunEntry> entry;
        if (last.step()) entry = read_run(last);
        last.reset();
        if (entry) rows.push_back(row_of(std::move(*entry), alive));
    }
    return rows;
}

bool run_succeeded(const RunEntry& run) {
    if (run.finished == 0 || !(run.stop_reason.empty() || run.stop_reason == "none")) return false;
    for (const auto& [name, count] : outcome_counts(run.outcomes))
        if (auto o = engine::outcome_from_string(name); count > 0 && (!o || engine::is_failure(*o)))
            return false;
    return true;
}

std::optional<std::int64_t> LedgerView::last_success(const std::string& job, int look_back) {
    auto select = db_.prepare(std::string("SELECT ") + run_columns +
                              " FROM runs WHERE job = ? AND kind = 'run' AND finished > 0"
                              " ORDER BY started DESC, id DESC LIMIT ?");
    select.bind(1, job).bind(2, static_cast<std::int64_t>(page_size(look_back)));
    while (select.step())
        if (const RunEntry run = read_run(select); run_succeeded(run)) return run.finished;
    return std::nullopt;
}

}  // namespace rcbatch::jobs
