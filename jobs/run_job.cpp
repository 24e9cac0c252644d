#include "cli/run_execute.hpp"

#include "cli/options.hpp"
#include "engine/progress.hpp"
#include "engine/report_writer.hpp"
#include "engine/tls_context.hpp"
#include "jobs/listing.hpp"
#include "jobs/order_runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <random>

namespace rcbatch::cli {

namespace asio = boost::asio;
using engine::ExitCode;

namespace {
using steady = std::chrono::steady_clock;

constexpr std::chrono::seconds progress_tick{1};

engine::ProgressOptions progress_options(const RunFlags& flags) {
    engine::ProgressOptions o;
    if (flags.quiet)
        o.style = engine::ProgressStyle::quiet;
    else if (flags.progress || engine::stderr_is_tty())
        o.style = engine::ProgressStyle::bar;
    if (flags.json_log) o.format = engine::LogFormat::json;
    return o;
}

engine::BatchSettings batch_settings(const RunSetup& setup, const ApiAccess& access,
                                     asio::ssl::context& tls) {
    const config::RunSettings& s = setup.settings;
    engine::BatchSettings b;
    b.concurrency = s.concurrency;
    b.rate = s.rate;
    b.attempt_timeout = s.timeout;
    // An order may wait out every attempt and every capped backoff, and then some.
    b.order_deadline = (s.timeout + s.retry.max) * s.retry.attempts * 2;
    b.retry = {.attempts = s.retry.attempts, .base = s.retry.base, .max = s.retry.max};
    b.endpoint = access.endpoint;
    b.tls = &tls;
    b.handle_signals = true;
    b.action = std::string(setup.job.action->name);
    return b;
}

std::vector<std::string> field_columns(const jobs::ActionSpec& spec) {
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
asio::awaitable<jobs::ListingResult> listing(std::shared_ptr<jobs::ActionSetup> action,
                                             engine::BatchSettings settings, jobs::RecordSink emit,
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
    jobs::ListingResult result = co_await jobs::run_listing(std::move(action), ctx, std::move(emit));
    co_await session.close();
    connections = session.connections_opened();
    stop = control.reason();
    stop_message = control.message();
    co_return result;
}
}  // namespace

std::shared_ptr<jobs::ActionSetup> make_action_setup(const RunSetup& setup, const ApiAccess& access) {
    auto action = std::make_shared<jobs::ActionSetup>();
    const jobs::ActionSpec& spec = *setup.job.action;
    action->spec = &spec;
    action->path = jobs::path_for(spec, setup.job.region);
    if (auto it = access.paths.find(std::string(spec.name)); it != access.paths.end())
        action->path = jobs::fill_region(it->second, setup.job.region);
    action->auth_userid = access.auth_userid;
    action->api_key = access.api_key;
    action->params = setup.job.params;
    return action;
}

int execute_run(const RunFlags& flags, const RunSetup& setup, const ApiAccess& access,
                std::unique_ptr<engine::TargetSource> source, std::uint64_t total) {
    const jobs::ActionSpec& spec = *setup.job.action;
    asio::io_context ioc;
    asio::ssl::context tls = engine::make_client_tls_context(access.tls);
    const auto started = std::chrono::system_clock::now();
    const auto started_steady = steady::now();
    engine::ReportWriter writer(engine::create_run_dir(setup.settings.reports, setup.job.name, started),
                                field_columns(spec));
    engine::Progress progress(std::cerr, progress_options(flags), total, started_steady);
    auto sink = [&](const engine::OrderResult& r) {
        writer.write(r);
        progress.finished(r.seq, r.outcome, steady::now());
    };

    engine::BatchSettings settings = batch_settings(setup, access, tls);
    auto action = make_action_setup(setup, access);
    engine::StopReason stop = engine::StopReason::none;
    std::string stop_message;
    std::uint64_t connections = 0;
    std::string mismatch;
    std::exception_ptr failure;
    bool finished = false;
    auto on_done = [&](std::exception_ptr e) {
        failure = e;
        finished = true;
    };

    if (source) {
        engine::Batch batch(ioc.get_executor(), settings, jobs::make_order_fn(action), sink);
        asio::co_spawn(ioc, batch.run(*source), [&](std::exception_ptr e, engine::BatchStats stats) {
            stop = stats.stopped;
            stop_message = stats.stop_message;
            connections = stats.connections_opened;
            on_done(e);
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
        asio::co_spawn(ioc, listing(action, settings, [&](engine::OrderResult r) { sink(r); }, stop,
                                    stop_message, connections),
                       [&](std::exception_ptr e, jobs::ListingResult result) {
                           mismatch = result.mismatch();
                           on_done(e);
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
    info.extra["job"] = setup.job.name;
    info.extra["action"] = spec.name;
    info.extra["environment"] = access.environment;
    info.extra["stop_reason"] = engine::to_string(stop);
    if (!stop_message.empty()) info.extra["stop_message"] = stop_message;
    if (!mismatch.empty()) info.extra["count_mismatch"] = mismatch;
    boost::json::object summary = writer.finish(info);

    if (!flags.quiet) std::cerr << engine::summary_text(summary);
    if (stop == engine::StopReason::fatal)
        std::cerr << "rcbatch run: stopped: the API refused the credentials (" << stop_message
                  << "); check the API key and that this machine's IP is on the API whitelist "
                     "in the reseller panel\n";
    else if (stop == engine::StopReason::interrupted)
        std::cerr << "rcbatch run: interrupted (" << stop_message << "); the reports are complete\n";
    if (!mismatch.empty()) std::cerr << "rcbatch run: incomplete listing: " << mismatch << '\n';
    return exit_code(exit_for(stop, writer.tally().failed(), !mismatch.empty()));
}

}  // namespace rcbatch::cli
