#pragma once
// The files of a run folder `rcbatch serve` hands out, by name: a fixed list, so a request
// never names a path. report.html is not among them (its inline script and style are what the
// server's Content-Security-Policy forbids; the run page shows the same).

#include <array>
#include <optional>
#include <string_view>

namespace rcbatch::serve {

struct RunFileType {
    std::string_view name;
    std::string_view content_type;
};

// results.csv, results.jsonl, results.junit.xml, plan.csv, plan.jsonl, summary.json.
const std::array<RunFileType, 6>& run_file_types();
std::array<std::string_view, 6> served_run_files();

// The type of the file `name`, when it is one of the list.
std::optional<RunFileType> run_file_type(std::string_view name);

}  // namespace rcbatch::serve
