#include "jobs/state/first_seen.hpp"

namespace rcbatch::jobs {

namespace {
// Nothing else uses the database: no lock to wait for.
constexpr int no_busy_wait = 0;

SqliteDb& prepared(SqliteDb& db) {
    // No journal and no syncs: the database lives only as long as this object. The page cache
    // (1 MiB) bounds the memory; pages beyond it go to the temporary file.
    db.exec(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1024; "
        "CREATE TABLE seen (key TEXT PRIMARY KEY, place TEXT NOT NULL, params TEXT NOT NULL) "
        "WITHOUT ROWID; BEGIN");
    return db;
}
}  // namespace

std::unique_ptr<SeenKeys> seen_keys_on_disk() {
    try {
        return std::make_unique<FirstSeen>();
    } catch (const SqliteError& e) {
        fail_seen_keys(e.what());
    }
}

// An empty file name: SQLite's own temporary database, deleted when closed.
FirstSeen::FirstSeen()
    : db_(SqliteDb::temporary(no_busy_wait)),
      insert_(prepared(db_).prepare(
          "INSERT OR IGNORE INTO seen (key, place, params) VALUES (?, ?, ?)")),
      select_(db_.prepare("SELECT place, params FROM seen WHERE key = ?")) {}

std::optional<std::string> FirstSeen::remember(std::string_view key, std::string_view place) {
    auto first = remember(key, place, {});
    if (!first) return std::nullopt;
    return std::move(first->place);
}

std::optional<SeenKeys::First> FirstSeen::remember(std::string_view key, std::string_view place,
                                                   std::string_view params) {
    insert_.bind(1, key).bind(2, place).bind(3, params).run();
    insert_.reset();
    if (db_.changes() == 1) return std::nullopt;
    select_.bind(1, key);
    std::optional<First> first;
    if (select_.step()) first = First{select_.text(0), select_.text(1)};
    select_.reset();
    return first;
}

}  // namespace rcbatch::jobs
