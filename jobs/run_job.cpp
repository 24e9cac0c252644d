#include "jobs/run_job.hpp"

#include "engine/progress.hpp"
#include "engine/report_writer.hpp"
#include "jobs/listing.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <random>

namespace rcbatch::jobs {

namespace asio = boost::asio;
using engine::ExitCode;

namespace {
using steady = std::chrono::steady_clock;

constexpr std::chrono::seconds progress_tick{1};

std::vector<std::string> field_columns(const ActionSpec& spec) {
    std::vector<std::string> columns;
    for (std::string_view f : spec.result_fields) columns.emplace_back(f);
    return columns;
}

// The exit code for how the run ended and what its records say.
ExitCode exit_for(engine::StopReason stop, std::uint64_t failed, bool incomplete) {
    if (stop != engine::StopReason::none) return ExitCode::aborted;
    if (failed > 0 || incomplete) return ExitCode::orders_failed;
    return ExitCode::ok;
}

// A listing runs on one connection, without the batch's workers.
asio::awaitable<ListingResult> listing(std::shared_ptr<const ActionSetup> action,
                                       engine::BatchSettings settings, RecordSink emit,
                                       engine::StopReason& stop, std::string& stop_message,
                                       std::uint64_t& connections) {
    auto executor = co_await asio::this_coro::executor;
    engine::SessionSettings session_settings = settings.session;
    session_settings.attempt_timeout = settings.attempt_timeout;
    engine::HttpsSession session(executor, *settings.tls, settings.endpoint, session_settings);
    engine::RateLimiter limiter(executor, settings.rate, settings.burst);
    engine::RunControl control(executor);
    std::mt19937_64 rng{std::random_device{}()};
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    engine::CallContext ctx{session, limiter, control, settings.retry, [&] { return uniform(rng); }};
    ListingResult result = co_await run_listing(std::move(action), ctx, std::move(emit));
    co_await session.close();
    connections = session.connections_opened();
    stop = control.reason();
    stop_message = control.message();
    co_return result;
}
}  // namespace

RunReport run_job(RunRequest request) {
    const ActionSpec& spec = *request.action->spec;
    std::ostream& out = request.out ? *request.out : std::cerr;
    asio::io_context ioc;
    const auto started = std::chrono::system_clock::now();
    const auto started_steady = steady::now();
    engine::ReportWriter writer(engine::create_run_dir(request.reports, request.job_name, started),
                                field_columns(spec));
    engine::Progress progress(out, request.progress, request.total, started_steady);
    auto sink = [&](const engine::OrderResult& r) {
        writer.write(r);
        progress.finished(r.seq, r.outcome, steady::now());
    };

    RunReport report;
    std::uint64_t connections = 0;
    std::exception_ptr failure;
    bool finished = false;
    if (request.source) {
        engine::Batch batch(ioc.get_executor(), request.batch, make_order_fn(request.action), sink);
        asio::co_spawn(ioc, batch.run(*request.source), [&](std::exception_ptr e, engine::BatchStats stats) {
            report.stop = stats.stopped;
            report.stop_message = stats.stop_message;
            connections = stats.connections_opened;
            failure = e;
            finished = true;
        });
        asio::steady_timer ticker(ioc);
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
    if (failure) std::rethrow_exception(failure);

    engine::RunInfo info;
    info.started = started;
    info.finished = std::chrono::system_clock::now();
    info.wall = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started_steady);
    info.connections_opened = connections;
    info.extra = std::move(request.extra);
    info.extra["job"] = request.job_name;
    info.extra["action"] = spec.name;
    info.extra["stop_reason"] = engine::to_string(report.stop);
    if (!report.stop_message.empty()) info.extra["stop_message"] = report.stop_message;
    if (!report.mismatch.empty()) info.extra["count_mismatch"] = report.mismatch;
    report.summary = writer.finish(std::move(info));
    report.dir = writer.dir();
    report.exit = exit_for(report.stop, writer.tally().failed(), !report.mismatch.empty());

    if (request.summary) out << engine::summary_text(report.summary);
    if (report.stop == engine::StopReason::fatal)
        out << "rcbatch run: stopped: the API refused the credentials (" << report.stop_message
            << "); check the API key and that this machine's IP is on the API whitelist in the "
               "reseller panel\n";
    else if (report.stop == engine::StopReason::interrupted)
        out << "rcbatch run: interrupted (" << report.stop_message << "); the reports are complete\n";
    if (!report.mismatch.empty()) out << "rcbatch run: incomplete listing: " << report.mismatch << '\n';
    return report;
}

}  // namespace rcbatch::jobs
