#pragma once
// --metrics-file: the last run of each job in the node_exporter textfile collector's format
// (Prometheus text exposition, no timestamps), so a nightly job's silence or failure shows in
// Prometheus:
//
//   rcbatch_last_run_orders{job="J",outcome="ok"} 42         orders of the last run by outcome
//   rcbatch_last_run_orders_in_doubt{job="J"} 2              of them `unknown` (may have been
//                                                            applied): alert on it above 0
//   rcbatch_last_run_success_timestamp_seconds{job="J"} ...   end of the last run that exited 0
//   rcbatch_last_run_timestamp_seconds{job="J"} ...           end of the last run, any exit
//   rcbatch_last_run_duration_seconds{job="J"} 12.5
//   rcbatch_last_run_exit_code{job="J"} 0
//   rcbatch_last_run_charged{job="J",currency="USD"} 4200      known charged (charged actions)
//   rcbatch_last_run_charge_in_doubt{job="J",currency="USD"} 300   maybe charged, in doubt
//
// The success timestamp is kept from the previous file when a run does not succeed, and the
// samples of other jobs in the file are kept as they were (one file may serve several jobs that
// never run at the same time; give jobs that may overlap a file each).

#include "engine/store/private_file.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

struct MetricsRun {
    std::string job;
    std::map<std::string, std::uint64_t> outcomes;  // empty: the run did not start (no samples)
    double duration_seconds = 0;
    int exit_code = 0;
    double finished_unix = 0;  // seconds since the epoch
    // The run's money by currency (jobs/money/charge_summary.hpp): known charged, and what the
    // orders in doubt may have cost. Empty: no samples (not a charged action).
    std::map<std::string, double> charged, charge_in_doubt;
    // When the job's last run that exited 0 ended, if the caller knows it (rcbatch serve reads
    // it from the ledger); else it is kept from the previous file.
    std::optional<double> last_success_unix = {};
};

// A label value in the exposition format: \ " and newline escaped.
std::string metrics_label(std::string_view value);

// The value of `metric`{job="<job>",...} in a previous file's text; nullopt when absent.
std::optional<double> previous_sample(std::string_view text, std::string_view metric,
                                      std::string_view job);

// The new file's text: `previous` (the old file, or "") with `run.job`'s samples replaced.
std::string metrics_text(const MetricsRun& run, std::string_view previous);

// Why `path` cannot be the metrics file, checked before a run starts: its folder does not exist,
// is not a folder or cannot be written, or the file is there but is not a regular file of the
// caller's (a link, a FIFO, a device: rcbatch replaces it whole, engine/store/atomic_file.hpp). One
// line without the path ("its folder /x does not exist"); nullopt when it can be written.
std::optional<std::string> metrics_file_refusal(const std::filesystem::path& path);

// Reads `path` (a missing file is an empty one; the file is read as itself, a regular file of
// at most max_metrics_file_bytes) and replaces it with the new text through an AtomicFile, mode
// 0644 (node_exporter runs as another user). Throws FileError with a one-line message naming
// the file.
void write_metrics_file(const std::filesystem::path& path, const MetricsRun& run);

}  // namespace rcbatch::engine
