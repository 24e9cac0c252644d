#include "engine/store/journal.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace rcbatch::engine {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// The coroutines waiting for one group of lines to be on disk.
struct Group {
    explicit Group(asio::any_io_executor executor) : signal(executor) {
        signal.expires_at(asio::steady_timer::time_point::max());
    }
    asio::steady_timer signal;  // never expires; cancelled when the group is done
    bool done = false;
    Fault fault;
};

Fault system_error(std::string_view what, const fs::path& path, int err) {
    return fault(Failure::journal,
                 std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `text`, or says why not.
Fault write_all(int fd, std::string_view text, const fs::path& path) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return system_error("cannot write", path, errno);
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Fault closed_fault(const fs::path& path) {
    return fault(Failure::journal, "the journal " + path.string() + " is closed");
}

}  // namespace

// Lines nobody waits for (results) are handed to the disk thread with the next durable group,
// or when this much is pending, or this long after the first of them: fewer thread hand-offs
// and writes. A kill -9 loses at most that window of result lines; a resumed run redoes those
// orders (reconciling the changes: their intents are on disk).
constexpr std::size_t lazy_bytes = 64 * 1024;
constexpr std::chrono::milliseconds lazy_delay{200};

// A task waiting for the disk thread; `out` is null for an effect nobody waits for.
struct PendingTask {
    DiskTask run;
    std::shared_ptr<DiskTaskResult> out;
};

struct Journal::Shared {
    Shared(asio::any_io_executor executor, fs::path file)
        : io(executor), path(std::move(file)), lazy_timer(executor) {}

    asio::any_io_executor io;
    fs::path path;
    int fd = -1;
    asio::thread_pool disk{1};
    bool closed = false;
    std::atomic<std::uint64_t> syncs{0};
    std::uint64_t waited_groups = 0;  // owned by the io_context's thread

    // Owned by the io_context's thread:
    std::string pending;             // lines not yet handed to the disk thread
    bool pending_durable = false;    // some of them wait for a sync
    std::vector<PendingTask> tasks;  // for the companion, with the next group
    std::shared_ptr<Group> next;     // their waiters; null while none waits
    bool in_flight = false;          // the disk thread holds a group
    Fault broken;                    // the first failure; sticks
    asio::steady_timer lazy_timer;   // hands lazy lines over lazy_delay after the first
    bool lazy_armed = false;

    // Owned by the disk thread (read after it is joined):
    Fault disk_fault;
    GroupCompanion* companion = nullptr;  // set before the first write

    // Runs a group's tasks inside the companion's transaction: the ledger's failure, if any.
    // The lines the tasks return are added to `lines` only once the transaction committed.
    Fault run_tasks(std::vector<PendingTask>& group_tasks, std::string& lines) {
        if (group_tasks.empty()) return {};
        if (disk_fault) return disk_fault;
        try {
            std::string task_lines;
            if (companion) companion->begin_group();
            for (PendingTask& task : group_tasks) {
                DiskTaskOutput output = task.run();
                if (!output.line.empty()) {
                    task_lines += output.line;
                    task_lines += '\n';
                }
                if (task.out) task.out->text = std::move(output.text);
            }
            if (companion) companion->commit_group();
            lines += task_lines;
        } catch (const std::exception& e) {
            disk_fault =
                fault(Failure::state, std::string("the ledger cannot be written: ") + e.what());
        }
        return disk_fault;
    }

    // A group on the disk thread: runs its tasks, then writes its lines and the tasks' (after
    // the commit), synced when someone waits for them (`sync`) or a task added one.
    Fault write_group(std::vector<PendingTask>& group_tasks, std::string text, bool sync) {
        const std::size_t lines_before_tasks = text.size();
        if (Fault failed = run_tasks(group_tasks, text)) return failed;
        return flush(text, sync || text.size() > lines_before_tasks);
    }

    // Writes (and syncs) on the disk thread: the failure, if any.
    Fault flush(std::string_view text, bool sync) {
        if (disk_fault) return disk_fault;
        Fault failed = write_all(fd, text, path);
        if (!failed && sync) {
            if (::fdatasync(fd) != 0) failed = system_error("cannot sync", path, errno);
            ++syncs;
        }
        disk_fault = failed;
        return failed;
    }

    void append(std::string_view line) {
        pending += line;
        pending += '\n';
    }

    // Hands the lazy lines over soon, unless a group takes them first.
    static void arm_lazy(const std::shared_ptr<Shared>& self) {
        if (self->lazy_armed || self->closed) return;
        self->lazy_armed = true;
        self->lazy_timer.expires_after(lazy_delay);
        self->lazy_timer.async_wait([self](const boost::system::error_code& ec) {
            self->lazy_armed = false;
            if (!ec) kick(self);
        });
    }

    // Hands the pending lines to the disk thread unless it is busy; runs again when it is done.
    static void kick(const std::shared_ptr<Shared>& self) {
        if (self->in_flight || (self->pending.empty() && self->tasks.empty()) || self->closed)
            return;
        self->in_flight = true;
        std::string text = std::move(self->pending);
        self->pending.clear();
        std::vector<PendingTask> group_tasks = std::move(self->tasks);
        self->tasks.clear();
        const bool sync = std::exchange(self->pending_durable, false);
        std::shared_ptr<Group> group = std::move(self->next);
        self->next = nullptr;
        if (group) ++self->waited_groups;
        asio::post(self->disk, [self, text = std::move(text), group_tasks = std::move(group_tasks),
                                sync, group = std::move(group)]() mutable {
            Fault failed = self->write_group(group_tasks, std::move(text), sync);
            asio::post(self->io, [self, failed = std::move(failed), group = std::move(group)] {
                self->in_flight = false;
                if (failed && !self->broken) self->broken = failed;
                if (group) {
                    group->done = true;
                    group->fault = failed;
                    group->signal.cancel();
                }
                if (self->pending_durable || self->next || self->pending.size() >= lazy_bytes)
                    kick(self);
                else if (!self->pending.empty() || !self->tasks.empty())
                    arm_lazy(self);
            });
        });
    }
};

Journal::Journal(asio::any_io_executor executor, fs::path path, FileOpen how)
    : shared_(std::make_shared<Shared>(std::move(executor), std::move(path))) {
    Shared& s = *shared_;
    std::error_code ec;
    const bool existed = fs::exists(fs::symlink_status(s.path, ec));
    std::string why;
    s.fd = open_private_fd(s.path, how, why, true);
    if (s.fd < 0)
        throw JournalError("cannot open journal " + s.path.string() + ": the file " + why);
    struct stat st {};
    char last = '\n';
    if (::fstat(s.fd, &st) == 0 && st.st_size > 0 && ::pread(s.fd, &last, 1, st.st_size - 1) == 1 &&
        last != '\n') {
        if (Fault failed = write_all(s.fd, "\n", s.path)) {
            ::close(s.fd);
            throw JournalError(failed.text);
        }
    }
    if (!existed) {
        // The file's name must survive a power cut as well as its lines.
        const int dir = ::open(s.path.parent_path().empty() ? "." : s.path.parent_path().c_str(),
                               O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }
}

Journal::~Journal() {
    try {
        close();
    } catch (...) {
        // A destructor must not throw; close() is called explicitly where errors matter.
    }
}

asio::awaitable<Fault> Journal::write_durable(boost::json::object line) {
    co_return co_await write_durable(boost::json::serialize(line));
}

namespace {
// Waits until `group` is done; throws operation_aborted when the caller is cancelled first.
asio::awaitable<void> wait_for(std::shared_ptr<Group> group) {
    while (!group->done) {
        co_await group->signal.async_wait(asio::as_tuple(asio::use_awaitable));
        if (group->done) break;
        asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
        if (state.cancelled() != asio::cancellation_type::none)
            throw boost::system::system_error(asio::error::operation_aborted);
    }
}
}  // namespace

asio::awaitable<Fault> Journal::write_durable(std::string line) {
    std::shared_ptr<Shared> s = shared_;
    if (s->broken) co_return s->broken;
    if (s->closed) co_return closed_fault(s->path);
    s->append(line);
    if (!s->next) s->next = std::make_shared<Group>(s->io);
    std::shared_ptr<Group> group = s->next;
    s->pending_durable = true;
    Shared::kick(s);
    co_await wait_for(group);
    co_return group->fault;
}

asio::awaitable<DiskTaskResult> Journal::run_in_group(DiskTask task) {
    std::shared_ptr<Shared> s = shared_;
    auto out = std::make_shared<DiskTaskResult>();
    if (s->broken || s->closed) {
        out->fault = s->closed ? closed_fault(s->path) : s->broken;
        co_return std::move(*out);
    }
    s->tasks.push_back({std::move(task), out});
    if (!s->next) s->next = std::make_shared<Group>(s->io);
    std::shared_ptr<Group> group = s->next;
    Shared::kick(s);
    co_await wait_for(group);
    out->fault = group->fault;
    co_return std::move(*out);
}

void Journal::write(std::string_view line, std::function<void()> effect) {
    if (shared_->closed) return;
    shared_->tasks.push_back({[effect = std::move(effect)] {
                                  effect();
                                  return DiskTaskOutput{};
                              },
                              nullptr});
    write(line);
}

void Journal::set_companion(GroupCompanion* companion) noexcept { shared_->companion = companion; }

void Journal::write(std::string_view line) {
    if (shared_->closed) return;
    shared_->append(line);
    if (shared_->pending.size() >= lazy_bytes)
        Shared::kick(shared_);
    else
        Shared::arm_lazy(shared_);
}

void Journal::write(const boost::json::object& line) { write(boost::json::serialize(line)); }

void Journal::write_now(const boost::json::object& line) {
    Shared& s = *shared_;
    if (s.in_flight || s.closed)
        throw JournalError("the journal " + s.path.string() + " is busy or closed");
    s.append(boost::json::serialize(line));
    Fault failed = s.flush(s.pending, true);
    s.pending.clear();
    if (failed) {
        s.broken = failed;
        throw JournalError(failed.text);
    }
}

void Journal::close() {
    Shared& s = *shared_;
    if (s.closed) return;
    s.closed = true;
    s.lazy_timer.cancel();
    s.disk.join();  // the group in flight, if any, is written
    Fault failed = s.write_group(s.tasks, std::move(s.pending), true);
    s.tasks.clear();
    s.pending.clear();
    if (s.next) {
        s.next->done = true;
        s.next->fault = failed;
        s.next->signal.cancel();
    }
    if (::close(s.fd) != 0 && !failed) failed = system_error("cannot close", s.path, errno);
    s.fd = -1;
    if (failed) throw JournalError(failed.text);
}

const fs::path& Journal::path() const noexcept { return shared_->path; }

std::uint64_t Journal::syncs() const noexcept { return shared_->syncs; }

std::uint64_t Journal::waited_groups() const noexcept { return shared_->waited_groups; }

}  // namespace rcbatch::engine
