// libFuzzer target: any bytes as a run folder's summary.json (damaged, or written by someone
// else). read_summary never throws, nor does RunSummary::read on any object; the summary's
// text for humans, --quiet's line and report.html's head are made from any object without a
// crash.
#include "engine/report/html_report.hpp"
#include "engine/report/report_writer.hpp"
#include "fuzz/fuzz_input_file.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_folder_file(data, size, "summary.json");
    const rcbatch::jobs::SummaryRead read =
        rcbatch::jobs::RunFolder(path.parent_path()).read_summary();
    if (!read.object) {
        if (read.error.empty()) std::abort();
        return 0;
    }
    const auto summary = rcbatch::engine::RunSummary::read(std::move(*read.object));
    const std::string text = rcbatch::engine::summary_text(summary);
    const std::string line = rcbatch::engine::summary_line(summary);
    const rcbatch::engine::ReportStats stats;
    if (rcbatch::engine::html_head(summary, stats, {}).find("<html") == std::string::npos)
        std::abort();
    if (text.rfind("rcbatch", 0) != 0 || line.rfind("rcbatch", 0) != 0) std::abort();
    return 0;
}
