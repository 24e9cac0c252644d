#include "jobs/state/sqlite.hpp"

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace rcbatch::jobs {
namespace {

// SQLite's message, and the operating system's cause when there is one: "disk I/O error"
// alone does not tell a user that the disk is full.
std::string why_failed(sqlite3* db, const char* message = nullptr) {
    std::string why = message ? message : db ? sqlite3_errmsg(db) : "out of memory";
    if (const int os_error = db ? sqlite3_system_errno(db) : 0; os_error != 0)
        why += std::string(" (") + std::strerror(os_error) + ")";
    return why;
}

}  // namespace

namespace {
constexpr int read_write = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
}  // namespace

SqliteDb::SqliteDb(const std::filesystem::path& path, int busy_timeout_ms, int mode)
    : SqliteDb(path, path.string(), busy_timeout_ms, mode, read_write, true) {}

SqliteDb SqliteDb::read_only(const std::filesystem::path& path, int busy_timeout_ms) {
    // SQLite would say "unable to open database file" of a missing file; say which, and why.
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::is_regular_file(status))
        throw SqliteError(path.string() + ": cannot open: " +
                          (status.type() == std::filesystem::file_type::not_found
                               ? std::string("no such file")
                           : error ? error.message()
                                   : std::string("not a file")));
    return SqliteDb(path, path.string(), busy_timeout_ms, 0600,
                    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, false);
}

SqliteDb SqliteDb::temporary(int busy_timeout_ms) {
    return SqliteDb(
        "a temporary file in SQLite's folder ($SQLITE_TMPDIR, $TMPDIR, /var/tmp or /tmp)",
        std::string(), busy_timeout_ms, 0600, read_write, true);
}

SqliteDb::SqliteDb(const std::filesystem::path& path, const std::string& open_path,
                   int busy_timeout_ms, int mode, int flags, bool create)
    : path_(path), busy_timeout_ms_(busy_timeout_ms) {
    // Create the file ourselves, so it has its mode from the first byte (the owner's alone, or
    // its group's too in a shared folder: fchmod, as the umask would take the group's write).
    if (create && !open_path.empty()) {
        const int fd = ::open(open_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                              static_cast<mode_t>(mode));
        if (fd >= 0) {
            if (mode != 0600) ::fchmod(fd, static_cast<mode_t>(mode));
            ::close(fd);
        }
    }
    if (sqlite3_open_v2(open_path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string why = why_failed(db_);
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError(path.string() + ": cannot open: " + why);
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::fail(std::string_view what) const {
    throw SqliteError(path_.string() + ": " + std::string(what) + ": " + why_failed(db_));
}

void SqliteDb::exec(std::string_view sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = why_failed(db_, error);
        sqlite3_free(error);
        throw SqliteError(path_.string() + ": " + why);
    }
}

void SqliteDb::exec_until_not_busy(std::string_view sql) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    for (;;) {
        try {
            exec(sql);
            return;
        } catch (const SqliteError&) {
            if ((sqlite3_extended_errcode(db_) & 0xff) != SQLITE_BUSY ||
                std::chrono::steady_clock::now() >= deadline)
                throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

SqliteStatement SqliteDb::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK)
        fail("cannot prepare a statement");
    return SqliteStatement(*this, stmt);
}

std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDb::changes() const { return sqlite3_changes(db_); }

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
    // An empty view may have no data pointer, which SQLite would bind as NULL, not ''.
    if (sqlite3_bind_text(stmt_, index, value.data() ? value.data() : "",
                          static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("cannot bind a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("cannot bind a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_->fail("cannot bind a value");
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("a statement failed");
}

void SqliteStatement::run() {
    while (step()) {
    }
}

void SqliteStatement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
}

bool SqliteStatement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
    if (open_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // Nothing more to do: SQLite rolls an unfinished transaction back on close.
        }
    }
}

void SqliteTransaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

}  // namespace rcbatch::jobs
