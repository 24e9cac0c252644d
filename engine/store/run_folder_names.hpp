#pragma once
// The names of a run folder's files, written once: the engine's writers (ReportWriter) take
// them from here, and jobs::RunFolder (jobs/run_folder/run_folder_files.hpp), which every
// other reader and writer asks for a path, does too.

#include <string_view>

namespace rcbatch::engine::run_folder_names {

inline constexpr std::string_view targets = "targets.jsonl";
inline constexpr std::string_view journal = "journal.jsonl";
inline constexpr std::string_view summary = "summary.json";
inline constexpr std::string_view html = "report.html";
inline constexpr std::string_view junit = "results.junit.xml";

// The records, one of two pairs: a run's, or a plan's (a dry run: nothing was sent).
enum class Records { results, plan };
constexpr std::string_view records_jsonl(Records r) noexcept {
    return r == Records::plan ? "plan.jsonl" : "results.jsonl";
}
constexpr std::string_view records_csv(Records r) noexcept {
    return r == Records::plan ? "plan.csv" : "results.csv";
}

}  // namespace rcbatch::engine::run_folder_names
