#pragma once
// rcbatch report RUN_DIR --failed-ids: a run's failed orders written as a target file (CSV: an
// `order-id` or `domain-name` column, then each order's own parameter columns and kept columns
// from targets.jsonl), ready to be another job's `[targets] file`. Orders that may have been
// applied are never in it: `unknown` ones (settle them first), and orders the run stopped on
// with an intent (resume the run) — running them again blindly is how an order is paid twice.

#include <cstdint>
#include <filesystem>
#include <string>

namespace rcbatch::jobs {

struct FailedTargets {
    std::string csv;  // the header and one row per order; "" when no order failed
    std::uint64_t rows = 0;
    std::uint64_t unknown = 0;    // left out: may have been applied (rcbatch settle)
    std::uint64_t in_doubt = 0;   // left out: stopped with an intent (run --resume)
    std::uint64_t no_result = 0;  // left out: never ran (run --resume runs them)
    std::uint64_t no_id = 0;      // left out: no order id, and other rows need one
    std::string job_file;         // the journal header's, for the hints ("" in old journals)
};

// The failed orders of the run in `dir`, from its journal (the last result of each order)
// and targets.jsonl. Throws engine::JournalError when the journal cannot be read,
// std::runtime_error naming the file when targets.jsonl cannot.
FailedTargets failed_targets(const std::filesystem::path& dir);

}  // namespace rcbatch::jobs
