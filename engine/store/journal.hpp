#pragma once
// journal.jsonl, the write-ahead record of a run (DESIGN.md "Journal, resume and locking"; its
// line kinds are built and recognised in journal_lines.hpp):
// one JSON object a line. An `intent` line must be on disk before a mutating request leaves;
// `result` lines follow each order. Lines are written and fdatasync'd by a thread of their own,
// in groups: every line that arrives while one sync runs goes out with the next one, so many
// workers share each sync and the io_context never blocks on the disk. Knows no API.

#include "engine/failure.hpp"
#include "engine/store/journal_error.hpp"
#include "engine/store/private_file.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace rcbatch::engine {

// Work that rides with the journal's groups on its disk thread (the run's ledger): each group
// runs its tasks between begin_group() and commit_group(), before its lines are written.
// Either may throw; the group then fails like a write error and the journal is broken.
class GroupCompanion {
  public:
    virtual ~GroupCompanion() = default;
    virtual void begin_group() = 0;
    virtual void commit_group() = 0;
};

// What a disk task hands back: `text` for the coroutine that waits for it, and `line`, when not
// empty, a journal line (one JSON object, no newline) that goes out with the task's group.
struct DiskTaskOutput {
    std::string text;
    std::string line;
};

// A task for the disk thread, run inside the companion's transaction.
using DiskTask = std::function<DiskTaskOutput()>;

struct DiskTaskResult {
    std::string text;  // what the task returned
    Fault fault;       // why the task or its group failed (none when it ran): the journal is broken
};

class Journal {
  public:
    // Opens `path` for appending: a new file (FileOpen::create, a new run), or one of the
    // caller's (FileOpen::append, a resumed run), never through a link
    // (engine/store/private_file.hpp). A file whose last line was cut short (a crash mid-write)
    // gets a newline first, so the next line starts clean. Throws JournalError.
    Journal(boost::asio::any_io_executor executor, std::filesystem::path path,
            FileOpen how = FileOpen::append);
    // Writes and syncs whatever is still buffered; never throws.
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Appends `line` and returns once it is on disk (written and fdatasync'd): no fault then,
    // or why it could not be (Failure::journal, or Failure::state when the ledger's group
    // failed): the journal stays broken after its first failure, so a request must not leave
    // unless this returned no fault. If the calling coroutine is cancelled
    // it throws operation_aborted, as any asio operation (the line may still reach the disk).
    // `line` is one serialized JSON object without the newline.
    boost::asio::awaitable<Fault> write_durable(std::string line);
    boost::asio::awaitable<Fault> write_durable(
        boost::json::object line);  // by value: a coroutine keeps it

    // Appends `line` without waiting: it goes out with the next durable group, when 64 KiB
    // are pending, or 200 ms later, whichever comes first; synced at the latest by the next
    // durable write or by close(). (A kill -9 can lose that window of such lines.)
    void write(std::string_view line);
    void write(const boost::json::object& line);

    // Runs `task` on the disk thread with the next group, inside the companion's transaction,
    // and returns once that transaction committed and the line the task returned, if any, is on
    // disk (written after the commit with the group's lines, and fdatasync'd): a change's claim
    // and its intent in one transaction and one sync. When the transaction fails, no line of
    // the group is written and the journal is broken (the fault). Cancellation as for
    // write_durable.
    boost::asio::awaitable<DiskTaskResult> run_in_group(DiskTask task);

    // As write(line), and `effect` runs on the disk thread in the group that writes the line.
    void write(std::string_view line, std::function<void()> effect);

    // Set before the first write; it must outlive the journal's close().
    void set_companion(GroupCompanion* companion) noexcept;

    // Writes `line` and syncs it now, on the calling thread: for the run's first lines, before
    // any coroutine writes. Throws JournalError (and the journal is broken) on failure.
    void write_now(const boost::json::object& line);

    // Writes and syncs everything appended so far, synchronously (after the batch, when no
    // coroutine waits any more). Throws JournalError naming the file on failure.
    void close();

    const std::filesystem::path& path() const noexcept;
    std::uint64_t syncs() const noexcept;  // fdatasync calls made so far
    // Groups a coroutine waited for (a durable line or a task): the disk round trips the run's
    // changes waited on, each one ledger transaction and/or one fdatasync.
    std::uint64_t waited_groups() const noexcept;

  private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
};

}  // namespace rcbatch::engine
