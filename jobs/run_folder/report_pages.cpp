#include "jobs/run_folder/report_pages.hpp"

#include "engine/report/junit_report.hpp"
#include "engine/report/report_writer.hpp"
#include "engine/report/result_record.hpp"
#include "engine/store/atomic_file.hpp"
#include "engine/store/journal_lines.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/charge_summary.hpp"
#include "jobs/run_folder/json_lines.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

#include <functional>

namespace rcbatch::jobs {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Each line of `path` that is a JSON object (and, with `only`, a journal line of that kind), in
// order. Returns the lines that could not be read. Throws ReportError when the file cannot be
// opened.
std::uint64_t for_each_object(const fs::path& path, std::optional<engine::JournalLine> only,
                              const std::function<void(const json::object&)>& fn) {
    const JsonLinesRead read = for_each_json_line(path, [&](JsonLine& line) {
        if (!line.object) return;
        if (only && engine::journal_line_kind(*line.object) != *only) return;
        fn(*line.object);
    });
    if (!read.opened || read.failed) throw engine::ReportError(read.error);
    return read.damaged;
}

engine::RunSummary required_summary(const RunFolder& folder) {
    SummaryRead read = folder.read_summary();
    if (read.missing)
        throw engine::ReportError(
            "cannot read " + folder.summary().string() +
            " (a run still going on, or one that died: rcbatch report rebuilds it)");
    if (!read.object) throw engine::ReportError(read.error);
    return engine::RunSummary::read(std::move(*read.object));
}

// The money as summary.json has it (one typed figure: charge_summary.hpp), each order's
// charge from its record.
engine::HtmlMoney money_shown(const engine::RunSummary& summary) {
    engine::HtmlMoney money;
    if (!summary.estimate_text.empty()) money.facts.emplace_back("estimate", summary.estimate_text);
    if (auto charged = ChargeSummary::from_summary(summary.json)) {
        for (auto& fact : charged->facts()) money.facts.push_back(std::move(fact));
        money.charge = [](const engine::OrderResult& r) { return charge_text(record_charge(r)); };
    }
    return money;
}

// The money as one JUnit property.
std::vector<std::pair<std::string, std::string>> money_properties(
    const engine::RunSummary& summary) {
    if (auto charged = ChargeSummary::from_summary(summary.json))
        return {{"charged", charged->text()}};
    return {};
}

}  // namespace

RunReportData read_report_data(const fs::path& dir,
                               const std::function<void(const engine::OrderResult&)>& each) {
    const RunFolder folder(dir);
    RunReportData data;
    data.summary = required_summary(folder);
    data.plan = !RunFolder::has(folder.results()) && RunFolder::has(folder.plan());
    const fs::path journal = folder.journal();
    const bool timeline_from_journal = !data.plan && RunFolder::has(journal);
    engine::Timeline timeline;
    data.damaged_lines =
        for_each_object(folder.records(data.plan), std::nullopt, [&](const json::object& o) {
            const engine::OrderResult r = engine::from_json(o);
            data.stats.add(r);
            if (!timeline_from_journal) timeline.add(r.started, r.attempts, r.retries);
            if (each) each(r);
        });
    if (timeline_from_journal)  // its result lines carry each order's retries; results.jsonl does
                                // not
        for_each_object(journal, engine::JournalLine::result, [&](const json::object& o) {
            const engine::OrderResult r = engine::from_json(o);
            timeline.add(r.started, r.attempts, r.retries);
        });
    data.timeline = timeline.bins(60);
    data.money = money_shown(data.summary);
    return data;
}

void for_each_record(const std::filesystem::path& dir, bool plan,
                     const std::function<void(const engine::OrderResult&)>& fn) {
    for_each_object(RunFolder(dir).records(plan), std::nullopt,
                    [&](const json::object& o) { fn(engine::from_json(o)); });
}

RunReportFiles write_run_reports(const fs::path& dir, engine::HtmlLimits limits) {
    const RunFolder folder(dir);
    const RunReportData data = read_report_data(dir);
    const engine::RunSummary& summary = data.summary;
    const engine::ReportStats& stats = data.stats;
    const engine::HtmlMoney& money = data.money;
    const bool plan = data.plan;
    RunReportFiles files;
    files.records = stats.orders;
    files.damaged_lines = data.damaged_lines;
    files.html = folder.html();
    engine::AtomicFile html(files.html, 0600);
    html.write(engine::html_head(summary, stats, data.timeline, money));
    std::optional<engine::AtomicFile> junit;
    if (!plan) {
        files.junit = folder.junit();
        junit.emplace(files.junit, 0600);
        junit->write(engine::junit_head(summary, stats, money_properties(summary)));
    }
    engine::HtmlTable table(stats, limits, money.charge);
    for_each_record(dir, plan, [&](const engine::OrderResult& r) {
        table.add(r);
        if (junit) junit->write(engine::junit_testcase(r));
    });
    table.render([&html](std::string_view piece) { html.write(piece); });
    html.write(engine::html_tail());
    html.commit();
    if (junit) {
        junit->write(engine::junit_tail());
        junit->commit();
    }
    return files;
}

std::optional<std::string> try_write_run_reports(const fs::path& dir) noexcept {
    try {
        write_run_reports(dir);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string("cannot write the HTML and JUnit reports: ") + e.what();
    }
}

}  // namespace rcbatch::jobs
