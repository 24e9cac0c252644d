#pragma once
// A thin RAII layer over SQLite 3: a connection and prepared statements with bound values.
// Every failure throws SqliteError naming the database file and SQLite's own message.

#include "engine/failure.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace rcbatch::jobs {

// The ledger's database cannot be opened, read or written (engine::Failure::state).
class SqliteError : public engine::Error {
  public:
    explicit SqliteError(const std::string& text) : Error(engine::Failure::state, text) {}
};

class SqliteStatement;

class SqliteDb {
  public:
    // Opens (creating, mode `mode`: 0600, or 0660 for a group's shared file, whatever the
    // umask) `path`, waits up to `busy_timeout_ms` for another process's lock. SQLite gives its
    // -wal and -shm files the same mode. Throws SqliteError.
    SqliteDb(const std::filesystem::path& path, int busy_timeout_ms, int mode = 0600);
    // Opens the existing file `path` read-only (SQLITE_OPEN_READONLY): it never creates the file
    // and never takes a write lock, so a reader of a WAL database never blocks its writers. Throws
    // SqliteError naming the file (one that does not exist too).
    static SqliteDb read_only(const std::filesystem::path& path, int busy_timeout_ms);
    // A private temporary database: SQLite's own file in the first usable folder of
    // $SQLITE_TMPDIR, $TMPDIR, /var/tmp, /usr/tmp, /tmp, removed when closed.
    static SqliteDb temporary(int busy_timeout_ms);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    // Runs one or more statements without results.
    void exec(std::string_view sql);
    // exec(), tried again while the database is busy, up to the busy timeout: for statements
    // SQLite fails at once instead of waiting, such as changing the journal mode while another
    // connection opens the same new file.
    void exec_until_not_busy(std::string_view sql);
    SqliteStatement prepare(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;
    const std::filesystem::path& path() const noexcept { return path_; }
    [[noreturn]] void fail(std::string_view what) const;

  private:
    // Opens `open_path` ("" for a temporary database) with SQLite's `flags`, creating the file
    // first with `mode` when `create`; messages name `path`.
    SqliteDb(const std::filesystem::path& path, const std::string& open_path, int busy_timeout_ms,
             int mode, int flags, bool create);

    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    int busy_timeout_ms_;
};

class SqliteStatement {
  public:
    SqliteStatement(const SqliteDb& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    SqliteStatement(SqliteStatement&& other) noexcept;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Binds `value` to the parameter at `index` (from 1); returns *this for chaining.
    SqliteStatement& bind(int index, std::string_view value);
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind_null(int index);
    // Steps once: true while a row is there.
    bool step();
    // Steps to the end (a statement without rows).
    void run();
    // Resets for another round of binds and steps.
    void reset();

    std::int64_t integer(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;

  private:
    const SqliteDb* db_;
    sqlite3_stmt* stmt_;
};

// Resets a kept statement when the scope ends, so it holds no read transaction open and
// takes fresh bindings next time.
class SqliteReset {
  public:
    explicit SqliteReset(SqliteStatement& statement) : statement_(statement) {}
    ~SqliteReset() { statement_.reset(); }
    SqliteReset(const SqliteReset&) = delete;
    SqliteReset& operator=(const SqliteReset&) = delete;

  private:
    SqliteStatement& statement_;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed uncommitted.
class SqliteTransaction {
  public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    void commit();

  private:
    SqliteDb& db_;
    bool open_ = true;
};

}  // namespace rcbatch::jobs
