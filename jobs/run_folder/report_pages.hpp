#pragma once
// The reports for people and CI of a run folder: report.html (engine/report/html_report.hpp) and
// results.junit.xml (engine/report/junit_report.hpp), written at the end of every run and by
// `rcbatch report RUN_DIR --html` for any folder, finished, stopped or dead (after `rcbatch
// report` rebuilt its summary from the journal). Both come only from the folder's files:
// summary.json and results.jsonl, streamed twice line by line (the totals first, then the
// rows), and the journal's result lines for retries over time — never every record at once.

#include "engine/report/html_report.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace rcbatch::jobs {

struct RunReportFiles {
    std::filesystem::path html;   // report.html
    std::filesystem::path junit;  // results.junit.xml; empty for a plan's folder
    std::uint64_t records = 0;
    std::uint64_t damaged_lines = 0;  // lines of results.jsonl that could not be read (left out)
};

// What report.html shows above its table, read from a run folder's summary.json and records
// (and its journal, for retries over time): `rcbatch serve`'s run page shows the same.
struct RunReportData {
    engine::RunSummary summary;
    engine::ReportStats stats;
    std::vector<engine::Timeline::Bin> timeline;
    engine::HtmlMoney money;
    bool plan = false;  // a plan's folder: plan.jsonl, no results
    std::uint64_t damaged_lines = 0;
};

// Throws engine::ReportError (one line naming the file) when summary.json or the records
// cannot be read. `each`, when given, sees every record as it passes (one read of the records
// serves a caller that needs them too).
RunReportData read_report_data(const std::filesystem::path& dir,
                               const std::function<void(const engine::OrderResult&)>& each = {});

// Each record of the folder's results.jsonl (plan.jsonl for a plan), in order, one at a time.
// Throws engine::ReportError when the file cannot be opened.
void for_each_record(const std::filesystem::path& dir, bool plan,
                     const std::function<void(const engine::OrderResult&)>& fn);

// Writes report.html and results.junit.xml into `dir` (plan.jsonl and report.html only for a
// plan's folder), each an engine::AtomicFile, mode 0600 like the rest of the folder. Throws
// engine::FileError (one line naming the file; engine::ReportError when summary.json or the
// records cannot be read) when a report cannot be made.
RunReportFiles write_run_reports(const std::filesystem::path& dir, engine::HtmlLimits limits = {});

// The same, for the end of a run: the error's one-line message instead of an exception.
std::optional<std::string> try_write_run_reports(const std::filesystem::path& dir) noexcept;

}  // namespace rcbatch::jobs
