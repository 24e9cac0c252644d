#include "jobs/run_job.hpp"

#include "engine/progress.hpp"
#include "engine/report_writer.hpp"
#include "engine/solo_caller.hpp"
#include "engine/journal.hpp"
#include "engine/journal_scan.hpp"
#include "jobs/listing.hpp"
#include "jobs/result_columns.hpp"
#include "jobs/run_end.hpp"
#include "jobs/run_journal.hpp"
#include "jobs/targets_file.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace rcbatch::jobs {

namespace asio = boost::asio;
using engine::ExitCode;

namespace {
using steady = std::chrono::steady_clock;

constexpr std::chrono::seconds progress_tick{1};
constexpr const char* targets_file_name = "targets.jsonl";

// The exit code for how the run ended and what its records say.
ExitCode exit_for(engine::StopReason stop, std::uint64_t failed, bool incomplete) {
    if (stop != engine::StopReason::none) return ExitCode::aborted;
    if (failed > 0 || incomplete) return ExitCode::orders_failed;
    return ExitCode::ok;
}

// What the selection phase settled: the targets in targets.jsonl, or why the run must not go on.
using Refusal = std::pair<ExitCode, std::string>;

struct Selection {
    std::uint64_t count = 0;
    std::string mismatch;
    std::optional<Refusal> refusal;
};

Selection select_targets(asio::io_context& ioc, RunRequest& request, const std::filesystem::path& dir) {
    Selection s;
    std::uint64_t named = 0;  // an explicit source's targets; only max-orders + 1 are written
    TargetsWriter writer(dir / targets_file_name);
    if (request.search) {
        SelectionResult found;
        std::exception_ptr failure;
        asio::co_spawn(ioc, select_by_search(*request.search, request.action, request.batch, writer,
                                             request.max_orders),
                       [&](std::exception_ptr e, SelectionResult r) {
                           failure = e;
                           found = std::move(r);
                       });
        ioc.run();
        ioc.restart();
        if (failure) std::rethrow_exception(failure);
        if (found.stop == engine::StopReason::fatal) {
            s.refusal = {ExitCode::aborted, "stopped during the search: " + fatal_advice(found.stop_message) +
                                                "; nothing was sent"};
        } else if (!found.complete) {
            s.refusal = {ExitCode::orders_failed, found.error + "; nothing was sent"};
        } else if (static_cast<std::int64_t>(found.api_total) > request.max_orders) {
            s.refusal = {ExitCode::bad_input, "the search found " + std::to_string(found.api_total) +
                                                  " orders, more than max-orders = " +
                                                  std::to_string(request.max_orders) + "; nothing was sent"};
        }
        s.mismatch = found.error;
    } else {
        named = copy_targets(*request.source, writer, static_cast<std::uint64_t>(request.max_orders) + 1);
    }
    writer.close();
    s.count = writer.count();
    if (!s.refusal && static_cast<std::int64_t>(std::max(named, s.count)) > request.max_orders)
        s.refusal = {ExitCode::bad_input, "the job names " + std::to_string(std::max(named, s.count)) +
                                              " orders, more than max-orders = " +
                                              std::to_string(request.max_orders) + "; nothing was sent"};
    return s;
}

// A listing runs on one connection, without the batch's workers.
asio::awaitable<ListingResult> listing(std::shared_ptr<const ActionSetup> action,
                                       engine::BatchSettings settings, RecordSink emit,
                                       engine::StopReason& stop, std::string& stop_message,
                                       std::uint64_t& connections) {
    engine::SoloCaller caller(co_await asio::this_coro::executor, settings);
    ListingResult result = co_await run_listing(std::move(action), caller.context(), std::move(emit));
    co_await caller.close();
    connections = caller.connections_opened();
    stop = caller.control().reason();
    stop_message = caller.control().message();
    co_return result;
}

// Where the orders of a run come from, and its journal.
struct RunStart {
    std::unique_ptr<engine::TargetSource> targets;  // null for a listing
    std::unique_ptr<engine::Journal> journal;       // null for a plan, a listing, --no-journal
    std::optional<engine::JournalScan> resumed;     // the journal as a resumed run found it
    std::uint64_t total = 0;                        // orders this session runs
    std::optional<Refusal> refusal;                 // why the run must not start
};

// A new run: the run folder, the selection into targets.jsonl, then the journal's header.
RunStart start_new(asio::io_context& ioc, RunRequest& request, RunReport& report,
                   std::chrono::system_clock::time_point started) {
    RunStart start;
    report.dir = engine::create_run_dir(request.reports, request.job_name, started);
    if (!request.source && !request.search) return start;
    Selection selection = select_targets(ioc, request, report.dir);
    if (selection.refusal) {
        start.refusal = std::move(selection.refusal);
        return start;
    }
    report.mismatch = selection.mismatch;
    start.total = selection.count;
    start.targets = std::make_unique<TargetsFileSource>(report.dir / targets_file_name);
    if (!request.dry_run && request.journal) {
        start.journal = std::make_unique<engine::Journal>(ioc.get_executor(), report.dir / journal_file_name);
        start.journal->write_now(journal_header(request.job_name, *request.action->spec, request.action->params,
                                                start.total, started));
    }
    return start;
}

// A resumed run: the folder's journal decides what is left; `started` becomes the first session's.
RunStart start_resumed(asio::io_context& ioc, const RunRequest& request, RunReport& report,
                       std::chrono::system_clock::time_point& started) {
    RunStart start;
    report.dir = request.resume;
    const auto journal_path = report.dir / journal_file_name;
    if (request.dry_run) {
        start.refusal = {ExitCode::bad_input, "a plan cannot be resumed"};
        return start;
    }
    if (!std::filesystem::exists(journal_path)) {
        start.refusal = {ExitCode::bad_input,
                         report.dir.string() + " has no " + journal_file_name +
                             " (not a run folder, a plan, a listing, or a run that died before it sent anything)"};
        return start;
    }
    const engine::JournalScan& scan = start.resumed.emplace(engine::scan_journal(journal_path));
    if (auto why = resume_refusal(scan, request.job_name, *request.action->spec, request.action->params)) {
        start.refusal = {ExitCode::bad_input, "cannot resume " + report.dir.string() + ": " + *why};
        return start;
    }
    if (const auto* at = scan.header.if_contains("started"); at && at->is_string())
        started = engine::parse_iso8601_utc(at->get_string()).value_or(started);
    start.total = scan.targets - scan.final_orders;
    start.targets = std::make_unique<ResumeSource>(report.dir / targets_file_name, scan);
    start.journal = std::make_unique<engine::Journal>(ioc.get_executor(), journal_path);
    start.journal->write_now(resume_line(std::chrono::system_clock::now()));
    return start;
}

// The run itself; `dir` is set as soon as the run folder is known.
RunReport run_session(RunRequest request, std::filesystem::path& dir) {
    const ActionSpec& spec = *request.action->spec;
    std::ostream& out = request.out ? *request.out : std::cerr;
    asio::io_context ioc;
    auto started = std::chrono::system_clock::now();
    const auto started_steady = steady::now();
    RunReport report;

    if (!request.resume.empty()) dir = request.resume;
    RunStart start = request.resume.empty() ? start_new(ioc, request, report, started)
                                            : start_resumed(ioc, request, report, started);
    dir = report.dir;
    request.progress.run_id = report.dir.filename().string();
    if (start.refusal) {
        report.exit = start.refusal->first;
        report.message = std::move(start.refusal->second);
        print_run_message(out, request.progress, report.message);
        return report;
    }
    const std::unique_ptr<engine::TargetSource>& targets = start.targets;
    const std::unique_ptr<engine::Journal>& journal = start.journal;
    const std::uint64_t total = start.total;
    request.batch.journal = journal.get();

    engine::ReportWriter writer(report.dir, result_field_columns(spec, request.dry_run), false,
                                request.dry_run ? "plan" : "results");
    std::uint64_t attempted_before = 0;
    if (start.resumed) {  // the reports start again from the journal: one final record per order
        engine::for_each_last_result(report.dir / journal_file_name, *start.resumed, true,
                                     [&](const engine::OrderResult& r) { writer.write(r); });
        attempted_before = writer.tally().latency().count();
    }
    engine::Progress progress(out, request.progress, total, started_steady);
    request.batch.on_retry = [&progress](std::uint64_t seq) { progress.retrying(seq, steady::now()); };
    auto sink = [&](const engine::OrderResult& r) {
        const std::string record = writer.write(r);
        if (journal) journal->write(engine::journal_result_line(record, r.retries));
        progress.finished(r, steady::now());
    };

    // Writes and syncs the journal's last lines; a failure stops the run like any other.
    auto close_journal = [&] {
        if (!journal) return;
        try {
            journal->close();
        } catch (const engine::JournalError& e) {
            if (report.stop == engine::StopReason::none) {
                report.stop = engine::StopReason::failed;
                report.stop_message = e.what();
            }
        }
    };

    std::uint64_t connections = 0;
    std::exception_ptr failure;
    bool finished = false;
    if (targets) {
        engine::Batch batch(ioc.get_executor(), request.batch, make_order_fn(request.action), sink);
        asio::steady_timer ticker(ioc);
        asio::co_spawn(ioc, batch.run(*targets), [&](std::exception_ptr e, engine::BatchStats stats) {
            report.stop = stats.stopped;
            report.stop_message = stats.stop_message;
            connections = stats.connections_opened;
            failure = e;
            finished = true;
            ticker.cancel();
            // Now, on the io thread: its lazy-flush timer would otherwise hold run() up.
            close_journal();
        });
        asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
            while (!finished) {
                ticker.expires_after(progress_tick);
                co_await ticker.async_wait(asio::as_tuple(asio::use_awaitable));
                progress.tick(steady::now());
            }
        }, asio::detached);
        ioc.run();
    } else {
        asio::co_spawn(ioc,
                       listing(request.action, request.batch, [&](engine::OrderResult r) { sink(r); },
                               report.stop, report.stop_message, connections),
                       [&](std::exception_ptr e, ListingResult result) {
                           report.mismatch = result.mismatch();
                           failure = e;
                       });
        ioc.run();
    }
    progress.done(steady::now());
    close_journal();
    if (failure) std::rethrow_exception(failure);

    engine::RunInfo info;
    info.started = started;
    info.finished = std::chrono::system_clock::now();
    info.wall = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started_steady);
    info.connections_opened = connections;
    info.attempted_before = attempted_before;
    info.extra = std::move(request.extra);
    info.extra["job"] = request.job_name;
    info.extra["action"] = spec.name;
    info.extra["stop_reason"] = engine::to_string(report.stop);
    info.extra["dry_run"] = request.dry_run;
    if (start.resumed) info.extra["sessions"] = start.resumed->sessions + 1;
    if (journal) info.extra["journal_syncs"] = journal->syncs();
    if (!report.stop_message.empty()) info.extra["stop_message"] = report.stop_message;
    if (!report.mismatch.empty()) info.extra["count_mismatch"] = report.mismatch;
    report.summary = writer.finish(std::move(info));
    report.exit = exit_for(report.stop, writer.tally().failed(), !report.mismatch.empty());

    print_run_end(progress, report, request.summary, journal != nullptr, request.rerun_command);
    return report;
}
}  // namespace

RunReport run_job(RunRequest request) {
    std::ostream& out = request.out ? *request.out : std::cerr;
    const engine::ProgressOptions options = request.progress;
    const std::string rerun = request.rerun_command;
    std::filesystem::path dir;
    try {
        return run_session(std::move(request), dir);
    } catch (const engine::ReportError& e) {  // a full disk, a file-size limit: exit 3
        return files_failed(out, options, dir, e.what(), rerun);
    } catch (const engine::JournalError& e) {
        return files_failed(out, options, dir, e.what(), rerun);
    }
}

}  // namespace rcbatch::jobs
