// libFuzzer target: any bytes as a run folder's summary.json (damaged, or written by someone
// else). read_summary never throws; the summary's text for humans and --quiet's line are
// made from any object without a crash.
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
    const std::string text = rcbatch::engine::summary_text(*read.object);
    const std::string line = rcbatch::engine::summary_line(*read.object);
    if (text.rfind("rcbatch", 0) != 0 || line.rfind("rcbatch", 0) != 0) std::abort();
    return 0;
}
