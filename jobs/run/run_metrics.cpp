#include "jobs/run/run_metrics.hpp"

#include "jobs/money/charge_summary.hpp"

namespace rcbatch::jobs {

engine::MetricsRun run_metrics(const std::string& job, const engine::RunSummary& summary,
                               engine::ExitCode exit, double finished_unix) {
    engine::MetricsRun run;
    run.job = job;
    run.exit_code = static_cast<int>(exit);
    run.finished_unix = finished_unix;
    for (engine::Outcome o : engine::outcomes_in_report_order)
        run.outcomes[std::string(engine::to_string(o))] = summary.count(o);
    if (summary.wall_time_ms)
        run.duration_seconds = static_cast<double>(*summary.wall_time_ms) / 1000.0;
    if (auto money = ChargeSummary::from_summary(summary.json)) {
        for (const auto& [currency, total] : money->charged().by_currency())
            run.charged[currency] = static_cast<double>(total.first) / 1000.0;
        for (const auto& [currency, total] : money->in_doubt().by_currency())
            run.charge_in_doubt[currency] = static_cast<double>(total.first) / 1000.0;
    }
    return run;
}

}  // namespace rcbatch::jobs
