#pragma once
// What the in-process run tests share: an action and batch settings set up the way
// `rcbatch run` does it, against a sandbox on 127.0.0.1, and a run that cannot hang CI.

#include "cli/run_end_text.hpp"
#include "engine/batch/batch.hpp"
#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/order/preflight.hpp"
#include "jobs/run/run_job.hpp"
#include "sandbox/server/background.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace rcbatch::test {

// The action as `rcbatch run` sets it up: preflight on (a changing action reads the order
// first), unless `preflight` is false.
inline std::shared_ptr<jobs::ActionSetup> sandbox_action(const sandbox::BackgroundSandbox& sb,
                                                         std::string_view name,
                                                         std::string_view region,
                                                         std::vector<jobs::CallParam> params,
                                                         bool preflight) {
    auto a = std::make_shared<jobs::ActionSetup>();
    a->spec = jobs::find_action(name);
    REQUIRE_MESSAGE(a->spec != nullptr, "no action " << name);
    a->path = jobs::path_for(*a->spec, region);
    if (const jobs::ActionSpec* reader = jobs::preflight_reader(*a->spec))
        a->details_path = jobs::path_for(*reader, region);
    a->flow.preflight = preflight;
    a->flow.max_sends = 5;
    a->flow.settle = std::chrono::milliseconds(200);
    const auto& types = jobs::behaviour_of(*a->spec).log_types;
    a->flow.log_types.assign(types.begin(), types.end());
    a->auth_userid = sb.userid();
    a->api_key = sb.api_key();
    a->params = std::move(params);
    return a;
}

// Quick settings: no rate cap, small retry bases, reproducible jitter.
inline engine::BatchSettings sandbox_settings(const sandbox::BackgroundSandbox& sb,
                                              boost::asio::ssl::context& tls, int concurrency,
                                              int attempts,
                                              std::chrono::milliseconds attempt_timeout) {
    using namespace std::chrono_literals;
    engine::BatchSettings b;
    b.concurrency = concurrency;
    b.rate = 0;
    b.attempt_timeout = attempt_timeout;
    b.order_deadline = 20s;
    b.grace_period = 5s;
    b.retry = {.attempts = attempts, .base = 10ms, .max = 100ms};
    b.endpoint = engine::Endpoint{"127.0.0.1", sb.port(), "localhost"};
    b.tls = &tls;
    b.jitter_seed = 1;
    return b;
}

// An order of the sandbox as it is now, read on its thread (fails the test when there is none).
inline sandbox::Order sandbox_order(sandbox::BackgroundSandbox& sb, std::uint64_t id) {
    auto found = sb.call([&](sandbox::Server& s) -> std::optional<sandbox::Order> {
        const sandbox::Order* o = s.order(id);
        if (o == nullptr) return std::nullopt;
        return *o;
    });
    REQUIRE_MESSAGE(found.has_value(), "no order " << id << " in the sandbox");
    return *found;
}

// How many times the sandbox received and applied `action` on order `id`.
inline sandbox::Counter sandbox_counter(sandbox::BackgroundSandbox& sb, std::uint64_t id,
                                        std::string_view action) {
    return sb.call([&](sandbox::Server& s) { return s.counter(id, action); });
}

// A run's outcome and the exit code `rcbatch run` gives it.
struct RunResult : jobs::RunOutcome {
    engine::ExitCode exit = engine::ExitCode::ok;
};

// Runs `request` on a thread (aborting the test program when it outlives `limit`), then prints to
// the request's stream what `rcbatch run` prints at the end (cli/run_end_text.hpp, with the summary
// for humans).
inline RunResult run_bounded(jobs::RunRequest request, std::chrono::seconds limit) {
    const engine::ProgressOptions progress = request.progress;
    std::ostream& out = request.out ? *request.out : std::cerr;
    std::packaged_task<jobs::RunOutcome()> task(
        [r = std::move(request)]() mutable { return jobs::run_job(std::move(r)); });
    auto future = task.get_future();
    std::thread runner(std::move(task));
    if (future.wait_for(limit) != std::future_status::ready) {
        std::cerr << "run_job did not finish within " << limit.count()
                  << " s: aborting the tests\n";
        std::abort();
    }
    runner.join();
    RunResult result{future.get(), {}};  // rethrows what run_job threw
    result.exit = cli::print_run_outcome(out, progress, result, {true, ""});
    return result;
}

}  // namespace rcbatch::test
