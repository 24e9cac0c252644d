#pragma once
// The preview `rcbatch plan` prints: one line per order (order, target as given, what would
// happen), then the totals, read back from the run folder's plan.jsonl.

#include <filesystem>
#include <ostream>

namespace rcbatch::jobs {

// Streams plan.jsonl of `run_dir` to `out` as a table. Returns the number of orders shown.
std::uint64_t print_plan(const std::filesystem::path& run_dir, std::ostream& out);

}  // namespace rcbatch::jobs
