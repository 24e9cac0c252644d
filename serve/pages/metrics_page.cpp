#include "serve/pages/metrics_page.hpp"

#include "engine/outcome.hpp"
#include "engine/report/metrics_file.hpp"
#include "jobs/run/run_metrics.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "serve/pages/run_page.hpp"

namespace rcbatch::serve {

namespace {
constexpr int runs_looked_back = 20;  // for the last success of a job whose last run failed

engine::ExitCode exit_of(const jobs::RunRow& row) {
    if (jobs::run_succeeded(row.run)) return engine::ExitCode::ok;
    if (row.state == jobs::RunState::stopped || row.state == jobs::RunState::died)
        return engine::ExitCode::aborted;
    return engine::ExitCode::orders_failed;
}

std::optional<engine::RunSummary> summary_of(const jobs::RunRow& row) {
    if (folder_refusal(row.run.folder)) return std::nullopt;
    jobs::SummaryRead read = jobs::RunFolder(row.run.folder).read_summary();
    if (!read.object) return std::nullopt;
    return engine::RunSummary::read(std::move(*read.object));
}
}  // namespace

std::string metrics_page(jobs::LedgerView& view) {
    std::string text;
    for (const jobs::RunRow& row : view.last_runs_of_jobs()) {
        if (row.run.kind != "run" || row.run.finished == 0) continue;
        auto summary = summary_of(row);
        if (!summary) continue;  // moved, damaged or hostile: no figures rather than wrong ones
        const engine::ExitCode exit = exit_of(row);
        engine::MetricsRun run =
            jobs::run_metrics(row.run.job, *summary, exit, static_cast<double>(row.run.finished));
        if (auto success = view.last_success(row.run.job, runs_looked_back))
            run.last_success_unix = static_cast<double>(*success);
        text = engine::metrics_text(run, text);
    }
    return text;
}

}  // namespace rcbatch::serve
