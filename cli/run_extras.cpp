#include "cli/run_extras.hpp"

#include "config/duration.hpp"
#include "engine/report/metrics_file.hpp"
#include "engine/report/progress.hpp"
#include "engine/secret/redact.hpp"
#include "jobs/run/run_metrics.hpp"

#include <iostream>
#include <random>
#include <thread>

namespace rcbatch::cli {

namespace {
constexpr std::chrono::hours longest_jitter{24};
}

void add_run_extras(po::options_description& options, RunExtras& extras) {
    options.add_options()("jitter", po::value(&extras.jitter_text),
                          "wait a random time up to DURATION (e.g. 10m) before "
                          "starting, so scheduled runs spread out (default 0)")(
        "max-runtime", po::value(&extras.max_runtime_text),
        "after DURATION (e.g. 2h) take no new orders, "
        "finish the ones in flight, exit 3 (resumable)")(
        "metrics-file", po::value(&extras.metrics_file),
        "write the run's metrics to PATH in node_exporter's "
        "textfile format (atomically, mode 0644)");
}

std::optional<std::string> check_run_extras(RunExtras& extras) {
    if (!extras.jitter_text.empty()) {
        auto d = config::parse_duration(extras.jitter_text);
        if (!d || *d > longest_jitter) return "--jitter takes a duration up to 24h, e.g. 10m";
        extras.jitter = *d;
    }
    if (!extras.max_runtime_text.empty()) {
        auto d = config::parse_duration(extras.max_runtime_text);
        if (!d || d->count() == 0) return "--max-runtime takes a duration above 0, e.g. 2h";
        extras.max_runtime = *d;
    }
    // Checked before anything is sent, not found only at the end (the run's files would be
    // written, its metrics not).
    if (!extras.metrics_file.empty())
        if (auto why = engine::metrics_file_refusal(extras.metrics_file))
            return "--metrics-file " + extras.metrics_file + ": " + *why;
    return std::nullopt;
}

void wait_jitter(const RunExtras& extras, bool quiet) {
    if (extras.jitter.count() <= 0) return;
    std::random_device seed;
    std::mt19937_64 rng(seed());
    const std::chrono::milliseconds wait(
        std::uniform_int_distribution<std::int64_t>(0, extras.jitter.count())(rng));
    if (!quiet)
        std::cerr << "rcbatch run: --jitter: starting in "
                  << engine::format_duration(std::chrono::duration<double>(wait)) << '\n';
    std::this_thread::sleep_for(wait);
}

engine::ExitCode write_run_metrics(const RunExtras& extras, const std::string& job,
                                   const jobs::RunOutcome& report, engine::ExitCode exit) {
    if (extras.metrics_file.empty()) return exit;
    const engine::MetricsRun run = jobs::run_metrics(
        job, report.summary, exit,
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    try {
        engine::write_metrics_file(extras.metrics_file, run);
    } catch (const std::exception& e) {
        std::cerr << "rcbatch run: --metrics-file: " << engine::redact(e.what()) << '\n';
        // Monitoring would go on showing the run before: the run is not all ok.
        if (exit == engine::ExitCode::ok) return engine::ExitCode::orders_failed;
    }
    return exit;
}

}  // namespace rcbatch::cli
