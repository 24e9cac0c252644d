#include "jobs/run_folder/read_back.hpp"

#include "engine/report/result_record.hpp"
#include "engine/store/job_lock.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_scan.hpp"
#include "engine/text/shell_word.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run_folder/json_lines.hpp"
#include "jobs/run_folder/result_columns.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/state/state_dir.hpp"

#include <system_error>

namespace rcbatch::jobs {

namespace fs = std::filesystem;
namespace json = boost::json;
using engine::Outcome;

namespace {

bool present(const fs::path& p) { return RunFolder::has(p); }

// summary.json, or nullopt when there is none. Throws RunFolderError when it is there but
// cannot be read as a JSON object.
std::optional<engine::RunSummary> read_summary(const RunFolder& folder) {
    SummaryRead read = folder.read_summary();
    if (read.missing) return std::nullopt;
    if (!read.object) throw RunFolderError(read.error);
    return engine::RunSummary::read(std::move(*read.object));
}

// The non-empty lines of `path`. Throws RunFolderError when it cannot be read.
std::uint64_t count_lines(const fs::path& path) {
    const JsonLinesRead read = for_each_json_line(path, [](JsonLine&) {});
    if (!read.opened || read.failed) throw RunFolderError(read.error);
    return read.lines;
}

// The failures in the order they are listed: unknown (may have been applied) first, then the
// other failures, then the orders the run stopped before (not_run, cancelled); each group in
// the order the records came, at most `limit` of each (0: all).
class FailureList {
  public:
    explicit FailureList(std::size_t limit) : limit_(limit) {}

    void add(const engine::OrderResult& r) {
        if (!engine::is_failure(r.outcome)) return;
        auto& group =
            groups_[r.outcome == Outcome::unknown                                      ? 0
                    : r.outcome == Outcome::not_run || r.outcome == Outcome::cancelled ? 2
                                                                                       : 1];
        if (limit_ != 0 && group.size() >= limit_) return;
        group.push_back({r.seq, r.order_id, r.target, r.outcome, r.message});
    }

    // The first `limit` of the list, and how many failures of `total` that leaves off.
    void take(std::uint64_t total, std::vector<FailedOrder>& out, std::uint64_t& left_off) {
        for (auto& group : groups_)
            for (auto& f : group)
                if (limit_ == 0 || out.size() < limit_) out.push_back(std::move(f));
        left_off = total > out.size() ? total - out.size() : 0;
    }

  private:
    std::size_t limit_;
    std::vector<FailedOrder> groups_[3];
};

void add_record(RunFolderReport& report, FailureList& failures, const engine::OrderResult& r) {
    report.tally.add(r);
    failures.add(r);
    report.money.add(r);
}

// Whether the folder's run is of a charged action: a built-in one that costs money, or one
// whose summary.json counted money.
bool charged_action(const RunFolderReport& report) {
    if (report.kind != FolderKind::run) return false;
    if (const ActionSpec* spec = find_action(report.action); spec && spec->costs_money) return true;
    return report.summary && report.summary->json.contains("charged");
}

// What summary.json says about how the run ended.
void state_from_summary(RunFolderReport& report) {
    const engine::RunSummary& s = *report.summary;
    report.stop_reason = s.stop_reason;
    if (report.job.empty()) report.job = s.job;
    if (report.action.empty()) report.action = s.action;
    if (report.stop_reason == "died") {
        report.state = RunState::died;
    } else if (!s.complete || s.stopped() || report.no_result > 0) {
        report.state = RunState::stopped;
    } else {
        report.state = RunState::finished;
    }
}

// The job's lock folder: the run folder's parent (<reports>/<job>/).
fs::path job_dir_of(const fs::path& dir) {
    fs::path run_dir = fs::absolute(dir).lexically_normal();
    if (!run_dir.has_filename()) run_dir = run_dir.parent_path();  // "DIR/"
    return run_dir.parent_path();
}

// Where the lock of the run's job is: in the state directory, keyed by the account and job
// its journal's header names; a journal from before the ledger: beside the run folder.
fs::path lock_dir_of(const fs::path& journal_path, const fs::path& run_dir,
                     const ReportOptions& options) {
    JsonLineReader in(journal_path);
    const std::optional<JsonLine> first = in.next();
    const json::object* o = first && first->object ? &*first->object : nullptr;
    const std::string account = o ? string_field(*o, "account") : "";
    if (account.empty() || options.state_dir.empty()) return job_dir_of(run_dir);
    return job_lock_dir(options.state_dir, account, string_field(*o, "job"));
}

// The job's lock when the folder's reports are to be rebuilt (a dead run: no summary.json);
// nothing, with report.state = running, when the run holds it.
std::optional<engine::JobLock> lock_for_rebuild(RunFolderReport& report,
                                                const fs::path& journal_path,
                                                const ReportOptions& options) {
    std::optional<engine::JobLock> lock;
    if (report.summary || !options.rebuild) return lock;
    // A run that is going on has no summary.json either: its reports must not be touched.
    // Holding the job's lock also keeps a --resume from starting during the rebuild.
    try {
        lock = engine::JobLock::try_acquire(lock_dir_of(journal_path, report.dir, options),
                                            report.lock_holder);
    } catch (const std::exception& e) {
        report.not_rebuilt = e.what();
    }
    if (!lock && report.not_rebuilt.empty()) report.state = RunState::running;
    return lock;
}

void take_scan(RunFolderReport& report, const engine::JournalScan& scan,
               const ReportOptions& options) {
    report.job = string_field(scan.header, "job");
    report.action = string_field(scan.header, "action");
    report.targets = scan.targets;
    report.sessions = scan.sessions;
    report.damaged_lines = scan.damaged_lines;
    report.final_orders = scan.final_orders;
    report.no_result = scan.targets - scan.final_orders;
    report.open_intent_count = scan.open_intents.size();
    for (const auto& [seq, intent] : scan.open_intents) {
        if (options.failure_limit != 0 && report.open_intents.size() >= options.failure_limit)
            break;
        report.open_intents.push_back({seq, string_field(intent, "order")});
    }
}

// The summary of a dead run, rebuilt from its journal.
engine::RunInfo rebuilt_run_info(const RunFolderReport& report, const engine::JournalScan& scan) {
    engine::RunInfo info;
    if (const json::value* at = scan.header.if_contains("started"); at && at->is_string())
        info.started = engine::parse_iso8601_utc(at->get_string()).value_or(info.started);
    info.extra["job"] = report.job;
    info.extra["action"] = report.action;
    info.extra["stop_reason"] = "died";
    info.extra["dry_run"] = false;
    info.extra["complete"] = false;
    info.extra["rebuilt_from_journal"] = engine::iso8601_utc(std::chrono::system_clock::now());
    info.extra["sessions"] = scan.sessions;
    info.extra["targets"] = scan.targets;
    info.extra["no_result"] = report.no_result;
    info.extra["open_intents"] = report.open_intent_count;
    if (scan.damaged_lines > 0) info.extra["damaged_lines"] = scan.damaged_lines;
    if (charged_action(report)) report.money.into(info.extra);
    return info;
}

void read_journal_folder(RunFolderReport& report, const ReportOptions& options) {
    const fs::path journal_path = RunFolder(report.dir).journal();
    const std::optional<engine::JobLock> lock = lock_for_rebuild(report, journal_path, options);
    engine::JournalScan scan;
    try {
        scan = engine::scan_journal(journal_path);
    } catch (const engine::JournalError& e) {
        throw RunFolderError(e.what());
    }
    take_scan(report, scan, options);
    // The lock is held by another run of the job (it names its run): this one died. Its
    // reports wait for that run to end, since rebuilding them needs the lock.
    const std::string holder_run = engine::lock_file_run(report.lock_holder);
    if (report.state == RunState::running && !holder_run.empty() &&
        holder_run != string_field(scan.header, "uid")) {
        report.state = RunState::died;
        report.not_rebuilt = "another run of job '" + report.job + "' holds its lock (" +
                             report.lock_holder + "); run rcbatch report " +
                             engine::shell_word(report.dir.string()) + " again when it has ended";
    }

    std::optional<engine::ReportWriter> writer;
    if (lock) {
        const ActionSpec* spec = find_action(report.action);
        // The folder as an absolute path: summary.json names it ("reports").
        writer.emplace(fs::absolute(report.dir).lexically_normal(),
                       spec ? result_field_columns(*spec, false) : std::vector<std::string>{},
                       false, engine::run_folder_names::Records::results,
                       csv_cells_of(scan.header));
    }
    FailureList failures(options.failure_limit);
    try {
        engine::for_each_last_result(journal_path, scan, false, [&](const engine::OrderResult& r) {
            add_record(report, failures, r);
            if (writer) writer->write(r);
        });
    } catch (const engine::JournalError& e) {
        throw RunFolderError(e.what());
    }
    failures.take(report.tally.failed(), report.failures, report.failures_left_off);

    if (report.summary) {
        state_from_summary(report);
    } else if (report.state != RunState::running) {
        report.state = RunState::died;
        report.stop_reason = "died";
    }
    if (!writer) return;
    report.summary = writer->finish(rebuilt_run_info(report, scan));
    report.rebuilt = true;
}

// A plan or a listing (or a run that stopped before its journal): the records file as it is.
void read_records_folder(RunFolderReport& report, const fs::path& records,
                         const ReportOptions& options) {
    FailureList failures(options.failure_limit);
    if (present(records)) {
        // A line cut short is damage unless it is the last one of a died run.
        bool pending_damage = false;
        const JsonLinesRead read = for_each_json_line(records, [&](JsonLine& line) {
            if (pending_damage) ++report.damaged_lines;
            pending_damage = line.damaged();
            if (line.damaged()) return;
            const engine::OrderResult r = engine::from_json(*line.object);
            if (report.action.empty()) report.action = r.action;
            report.final_orders += engine::is_final(r.outcome);
            add_record(report, failures, r);
        });
        if (!read.opened || read.failed) throw RunFolderError(read.error);
        if (pending_damage && report.summary) ++report.damaged_lines;
    }
    failures.take(report.tally.failed(), report.failures, report.failures_left_off);
    const fs::path targets = RunFolder(report.dir).targets();
    report.targets = present(targets) ? count_lines(targets) : report.tally.orders();
    report.no_result =
        report.targets > report.final_orders ? report.targets - report.final_orders : 0;
    if (report.summary) {
        state_from_summary(report);
    } else {
        report.state = RunState::died;
        report.stop_reason = "died";
    }
}

}  // namespace

RunFolderReport read_run_folder(const fs::path& dir, const ReportOptions& options) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw RunFolderError(dir.string() +
                             (fs::exists(dir, ec) ? ": not a folder" : ": no such folder"));
    RunFolderReport report;
    report.dir = dir;
    const RunFolder folder(dir);
    report.summary = read_summary(folder);

    const bool journal = present(folder.journal());
    const bool plan = present(folder.plan());
    const bool results = present(folder.results());
    const bool targets = present(folder.targets());
    const bool dry_run = report.summary && report.summary->dry_run;
    if (!journal && !plan && !results && !targets && !report.summary)
        throw RunFolderError(dir.string() +
                             " is not a run folder (it has no journal.jsonl, results.jsonl, "
                             "plan.jsonl or summary.json)");

    if (journal) {
        report.kind = FolderKind::run;
        report.has_journal = true;
        read_journal_folder(report, options);
    } else if (plan || dry_run) {
        report.kind = FolderKind::plan;
        read_records_folder(report, folder.plan(), options);
    } else {
        // Without a journal: a listing (no targets), or a run that stopped before it sent
        // anything (targets.jsonl only: refused after the selection, or died during it).
        report.kind = targets ? FolderKind::run : FolderKind::listing;
        read_records_folder(report, folder.results(), options);
    }
    report.charged_action = charged_action(report);
    return report;
}

}  // namespace rcbatch::jobs
