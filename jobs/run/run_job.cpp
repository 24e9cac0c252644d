#include "jobs/run/run_job.hpp"

#include "engine/net/server_clock.hpp"
#include "engine/net/solo_caller.hpp"
#include "engine/report/progress.hpp"
#include "engine/report/report_writer.hpp"
#include "engine/secret/redact.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_lines.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/evidence/run_guard.hpp"
#include "jobs/money/charge_summary.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/money/price_reader.hpp"
#include "jobs/money/term.hpp"
#include "jobs/order/batched_reads.hpp"
#include "jobs/plan/plan_binding.hpp"
#include "jobs/run/run_deadline.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run/run_ledger_setup.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run/run_start.hpp"
#include "jobs/run/run_tallies.hpp"
#include "jobs/run_folder/report_pages.hpp"
#include "jobs/run_folder/result_columns.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/select/listing.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cmath>
#include <iostream>

namespace rcbatch::jobs {

namespace asio = boost::asio;

namespace {
using steady = std::chrono::steady_clock;

constexpr std::chrono::seconds progress_tick{1};

// A listing runs on one connection, without the batch's workers.
asio::awaitable<ListingResult> listing(std::shared_ptr<const ActionSetup> action,
                                       engine::BatchSettings settings, RecordSink emit,
                                       engine::StopReason& stop, std::string& stop_message,
                                       std::uint64_t& connections) {
    engine::SoloCaller caller(co_await asio::this_coro::executor, settings);
    ListingResult result =
        co_await run_listing(std::move(action), caller.context(), std::move(emit));
    co_await caller.close();
    connections = caller.connections_opened();
    stop = caller.control().reason();
    stop_message = caller.control().message();
    co_return result;
}

// The run's own copy of the action: the server's clock, the ledger's guard, the account's
// actions and min-interval's history attached.
std::shared_ptr<const ActionSetup> attach_state(const RunRequest& request,
                                                const StateDirHold& state, const RunStart& start,
                                                std::ostream& out) {
    auto setup = std::make_shared<ActionSetup>(*request.action);
    setup->server_clock = std::make_shared<engine::ServerClock>();
    PreflightOptions& p = setup->flow.preflight_options;
    if (p.min_interval && state.ledger)
        p.last_resent =
            recent_changes(state, request, engine::local_unix_now() - p.min_interval->count());
    if (state.ledger && (start.journal || request.dry_run) && setup->spec->mutating) {
        auto run = std::make_shared<RunLedger>(state.ledger, state.run_id, request.account,
                                               request.repeat_guard, request.job_name);
        if (start.journal) start.journal->set_companion(run.get());
        run->set_default_term(term_text(setup->params));
        setup->ledger = std::move(run);
    }
    if (start.targets) attach_account_actions(request, *setup, out);
    return setup;
}

// A charged renewal: the list prices, read once (one plan-details call), so a plan shows each
// order's estimate and a run has an amount for a change whose answer was lost.
// A fatal answer (credentials, an untrusted server) stops the run before its first order.
std::shared_ptr<const ActionSetup> with_prices(asio::io_context& ioc, const RunRequest& request,
                                               const RunStart& start,
                                               std::shared_ptr<const ActionSetup> setup,
                                               std::ostream& out, RunOutcome& report) {
    // A run with no orders left (a finished run resumed) sends nothing, not even this read.
    if (!estimates_charges(*setup->spec) || !start.targets || (!request.dry_run && !start.total))
        return setup;
    PriceRead read = read_prices(ioc, *setup, request.batch);
    if (read.fatal) {
        report.stop = engine::StopReason::fatal;
        report.stop_message = read.error;
        return setup;
    }
    if (!read.prices) {
        print_run_message(out, request.progress,
                          "the plan prices could not be read (" + read.error + "): " +
                              (request.dry_run ? "no estimate"
                                               : "a change whose answer is lost is counted "
                                                 "without an amount"));
        return setup;
    }
    auto priced = std::make_shared<ActionSetup>(*setup);
    priced->prices = std::move(read.prices);
    return priced;
}

// What `run --plan` will check of the plan's orders (plan_binding.hpp); its records are on
// disk already (each is flushed as it is written).
boost::json::object bind_plan(const std::filesystem::path& dir) {
    try {
        return plan_targets_binding(dir);
    } catch (const std::runtime_error& e) {
        throw engine::ReportError(e.what());
    }
}

// Writes and syncs the journal's last lines; a failure stops the run like any other.
void close_journal(engine::Journal* journal, RunOutcome& report) {
    if (!journal) return;
    try {
        journal->close();
    } catch (const engine::JournalError& e) {
        if (report.stop == engine::StopReason::none) {
            report.stop = engine::StopReason::failed;
            report.stop_message = e.what();
        }
    }
}

// Batched reads that stop during the batch are said once, among the progress lines.
void tell_batch_reads_off(const ActionSetup& setup, engine::Progress& progress) {
    if (!setup.reads) return;
    setup.reads->on_off = [&progress](const std::string& why) {
        progress.note("rcbatch run: batched reads stopped (" + why +
                          "): each order is read on its own for the rest of the run",
                      steady::now(), true);
    };
}

// What the batch counted beyond the results, for summary.json.
struct BatchCounts {
    std::uint64_t connections = 0;
    std::uint64_t sessions_resumed = 0;
    std::uint64_t attempted_before = 0;  // attempts of earlier sessions (a resumed run)
    boost::json::object load;            // the requests in flight it ran at (adaptive concurrency)
};

// Runs the batch (or the listing) to its end on `ioc`; the results go to `sink`.
void run_orders(asio::io_context& ioc, const RunRequest& request,
                std::shared_ptr<const ActionSetup> setup, RunStart& start,
                const std::function<void(const engine::OrderResult&)>& sink,
                engine::Progress& progress, RunOutcome& report, BatchCounts& counts) {
    std::exception_ptr failure;
    if (start.targets) {
        // The targets read ahead, so the preflight reads many orders in one search.
        BatchedReads* reads = setup->reads.get();
        LookaheadSource targets(*start.targets, reads ? 2 * reads->size() : 1);
        if (reads) reads->attach(&targets);
        engine::Batch batch(ioc.get_executor(), request.batch, make_order_fn(std::move(setup)),
                            sink);
        if (report.stop == engine::StopReason::fatal) batch.halt(report.stop, report.stop_message);
        asio::steady_timer ticker(ioc);
        RunDeadline max_runtime(ioc.get_executor(), request.max_runtime, [&] {
            batch.request_stop(max_runtime_message(request.max_runtime));
        });
        bool finished = false;
        asio::co_spawn(ioc, batch.run(targets),
                       [&](std::exception_ptr e, engine::BatchStats stats) {
                           report.stop = stats.stopped;
                           report.stop_message = stats.stop_message;
                           counts.connections = stats.connections_opened;
                           counts.sessions_resumed = stats.sessions_resumed;
                           counts.load = {{"min", stats.concurrency_min},
                                          {"max", stats.concurrency_max},
                                          {"mean", std::round(stats.concurrency_mean * 100) / 100},
                                          {"pauses", stats.pauses},
                                          {"stopped_refused", stats.refusing}};
                           failure = e;
                           finished = true;
                           ticker.cancel();
                           max_runtime.cancel();
                           // Now, on the io thread: its lazy-flush timer would otherwise hold run()
                           // up.
                           close_journal(start.journal.get(), report);
                       });
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                while (!finished) {
                    ticker.expires_after(progress_tick);
                    co_await ticker.async_wait(asio::as_tuple(asio::use_awaitable));
                    progress.tick(steady::now());
                }
            },
            asio::detached);
        ioc.run();
        if (reads) reads->attach(nullptr);
    } else {
        asio::co_spawn(ioc,
                       listing(
                           std::move(setup), request.batch, [&](engine::OrderResult r) { sink(r); },
                           report.stop, report.stop_message, counts.connections),
                       [&](std::exception_ptr e, ListingResult result) {
                           report.mismatch = result.mismatch();
                           failure = e;
                       });
        ioc.run();
    }
    close_journal(start.journal.get(), report);
    if (failure) std::rethrow_exception(failure);
}

// A resumed run's reports start again from the journal: one final record per order of the
// earlier sessions. Returns the attempts those sessions made. The ledger catches up with the
// journal on the way: an intent it still holds open for an order the journal finished (a
// session that ran on another state directory, or died between the two) is closed so.
std::uint64_t replay_finished(engine::ReportWriter& writer, const std::filesystem::path& dir,
                              const RunStart& start, MoneyView& money, DoubtList& doubts,
                              RunLedger* ledger) {
    if (!start.resumed) return 0;
    const std::int64_t now = engine::local_unix_now();
    bool ledger_ok = ledger != nullptr;
    if (ledger_ok) ledger->begin_group();
    engine::for_each_last_result(RunFolder(dir).journal(), *start.resumed, true,
                                 [&](const engine::OrderResult& r) {
                                     writer.write(r);
                                     money.add(r);
                                     doubts.add(r);
                                     if (!ledger_ok) return;
                                     try {
                                         ledger->settle(r, now);
                                     } catch (const std::exception&) {
                                         ledger_ok = false;  // the run's own claims will say so
                                     }
                                 });
    if (ledger_ok) {
        try {
            ledger->commit_group();
        } catch (const std::exception&) {
        }
    }
    return writer.tally().latency().count();
}

// summary.json's fields beyond the tally: what the run was and how it went.
engine::RunInfo run_info(RunRequest& request, const RunOutcome& report, const RunStart& start,
                         const BatchCounts& counts, const engine::Journal* journal,
                         std::chrono::system_clock::time_point started) {
    engine::RunInfo info;
    info.started = started;
    info.finished = std::chrono::system_clock::now();
    info.wall =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - report.started);
    info.connections_opened = counts.connections;
    info.attempted_before = counts.attempted_before;
    info.extra = std::move(request.extra);
    info.extra["job"] = request.job_name;
    info.extra["action"] = request.action->spec->name;
    if (const ActionSpec& spec = *request.action->spec; !spec.digest.empty())
        info.extra["declaration"] = std::string(spec.origin) + " " + std::string(spec.digest);
    info.extra["stop_reason"] = engine::to_string(report.stop);
    info.extra["dry_run"] = request.dry_run;
    if (!request.account.empty()) info.extra["account"] = request.account;
    if (!report.uid.empty()) info.extra["run_uid"] = report.uid;
    if (!request.binding.empty()) info.extra["binding"] = request.binding;
    if (report.duplicates > 0) info.extra["duplicates"] = report.duplicates;
    if (!report.excluded.empty()) add_excluded(report.excluded, info.extra);
    info.extra["tls_sessions_resumed"] =
        counts.sessions_resumed;  // of connections_opened, by the batch's workers
    if (!counts.load.empty()) info.extra["concurrency"] = counts.load;
    if (start.resumed) info.extra["sessions"] = start.resumed->sessions + 1;
    if (journal) info.extra["journal_syncs"] = journal->syncs();
    if (journal) info.extra["journal_waited_groups"] = journal->waited_groups();
    if (!report.stop_message.empty()) info.extra["stop_message"] = report.stop_message;
    if (!report.mismatch.empty()) info.extra["count_mismatch"] = report.mismatch;
    if (request.dry_run && start.targets) info.extra["plan_targets"] = bind_plan(report.dir);
    return info;
}

// The run's own action, ready for the first order: state attached, the server's clock kept
// (from every reply, the batch's too), a plan's prices read.
std::shared_ptr<const ActionSetup> prepare_action(asio::io_context& ioc, RunRequest& request,
                                                  const StateDirHold& state, const RunStart& start,
                                                  std::ostream& out, RunOutcome& report) {
    std::shared_ptr<const ActionSetup> attached = attach_state(request, state, start, out);
    request.batch.server_clock = attached->server_clock.get();
    return with_prices(ioc, request, start, std::move(attached), out, report);
}

// The outcome of a run that did not start.
RunOutcome refused(RunOutcome outcome, Refusal why) {
    outcome.not_started = make_error_code(why.first);
    outcome.message = std::move(why.second);
    return outcome;
}

// The run itself; `dir` is set as soon as the run folder is known.
RunOutcome run_session(RunRequest request, std::filesystem::path& dir) {
    const ActionSpec& spec = *request.action->spec;
    std::ostream& out = request.out ? *request.out : std::cerr;
    asio::io_context ioc;
    auto started = std::chrono::system_clock::now();
    const auto started_steady = steady::now();
    RunOutcome report;
    report.started = started_steady;

    StateDirHold state;
    if (auto why = open_run_state(request, state))
        return refused(std::move(report), std::move(*why));
    if (!request.resume.empty()) dir = request.resume;
    RunStart start = request.resume.empty() ? start_new(ioc, request, report, started)
                                            : start_resumed(ioc, request, report, started);
    dir = report.dir;
    request.progress.run_id = report.dir.filename().string();
    report.resumable = start.journal != nullptr;
    if (start.refusal) return refused(std::move(report), std::move(*start.refusal));
    record_run_start(request, report, start.total, started, state);
    std::shared_ptr<const ActionSetup> setup =
        prepare_action(ioc, request, state, start, out, report);
    engine::Journal* journal = start.journal.get();
    request.batch.journal = journal;
    engine::ReportWriter writer(
        report.dir, result_field_columns(spec, request.dry_run, request.target_columns), false,
        request.dry_run ? engine::run_folder_names::Records::plan
                        : engine::run_folder_names::Records::results,
        start.resumed ? csv_cells_of(start.resumed->header) : request.csv);
    BatchCounts counts;
    MoneyView money;
    DoubtList doubts;
    RunLedger* ledger = setup->ledger.get();
    counts.attempted_before = replay_finished(writer, report.dir, start, money, doubts, ledger);
    engine::Progress progress(out, request.progress, start.total, started_steady);
    request.batch.on_retry = [&progress](std::uint64_t seq) {
        progress.retrying(seq, steady::now());
    };
    tell_unreadable_lists(*setup, progress);
    tell_batch_reads_off(*setup, progress);
    auto sink = [&](const engine::OrderResult& r) {
        const std::string record = writer.write(r);
        money.add(r);
        doubts.add(r);
        if (journal && ledger)
            journal->write(engine::journal_result_line(record, r.retries),
                           [ledger, r] { ledger->settle(r, engine::local_unix_now()); });
        else if (journal)
            journal->write(engine::journal_result_line(record, r.retries));
        progress.finished(r, steady::now());
    };
    run_orders(ioc, request, setup, start, sink, progress, report, counts);
    progress.done(steady::now());

    engine::RunInfo info = run_info(request, report, start, counts, journal, started);
    money.into(info.extra, spec, request.dry_run, setup->prices != nullptr);
    guard_facts(*setup, info.extra);
    if (setup->reads) info.extra["batch_reads"] = setup->reads->summary();
    report.summary = writer.finish(std::move(info));
    if (auto e = request.dry_run ? std::nullopt : try_write_run_reports(report.dir))
        report.reports_error = std::move(*e);
    report.failed = writer.tally().failed();
    report.in_doubt = std::move(doubts.orders);
    record_run_end(report, state);
    return report;
}

// A run whose files could not be written (a full disk, a file-size limit), resumable when
// the journal in `dir` is there.
RunOutcome files_failed(const std::filesystem::path& dir, const std::string& what) {
    RunOutcome outcome;
    outcome.dir = dir;
    outcome.stop = engine::StopReason::failed;
    outcome.stop_message = what;
    outcome.files_error = what;
    outcome.resumable = !dir.empty() && RunFolder::has(RunFolder(dir).journal());
    return outcome;
}
}  // namespace

RunOutcome run_job(RunRequest request) {
    std::filesystem::path dir;
    try {
        return run_session(std::move(request), dir);
    } catch (const engine::ReportError& e) {  // a full disk, a file-size limit
        return files_failed(dir, e.what());
    } catch (const engine::JournalError& e) {
        return files_failed(dir, e.what());
    }
}

}  // namespace rcbatch::jobs
