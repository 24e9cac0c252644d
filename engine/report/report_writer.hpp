#pragma once
// The run folder and its reports (DESIGN.md "Journal, resume and locking"): results.jsonl and
// results.csv streamed one OrderResult at a time, summary.json and a one-screen text summary
// at the end. Knows nothing of the API. Every write error is thrown as ReportError with a
// one-line message naming the file; none is ever dropped.

#include "engine/batch/order_result.hpp"
#include "engine/batch/tally.hpp"
#include "engine/report/result_record.hpp"
#include "engine/report/run_summary.hpp"
#include "engine/store/private_file.hpp"
#include "engine/store/run_folder_names.hpp"
#include "engine/text/csv_cells.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::engine {

class ReportError : public FileError {
  public:
    using FileError::FileError;
};

// Creates and returns <base>/<job>/<YYYYmmddTHHMMSSZ of now>/, creating <base>/<job> as
// needed; when that folder exists already (two runs in one second) "-2", "-3", ... is
// appended, so each run gets a fresh folder. Throws std::invalid_argument for a job name
// that is empty or not a single path component, ReportError when a folder cannot be made.
std::filesystem::path create_run_dir(const std::filesystem::path& base, std::string_view job,
                                     std::chrono::system_clock::time_point now);

// results.csv (RFC 4180, CRLF): the columns of to_json in the same order, except that the
// reply fields come last — one column per name in `field_columns` (a field's text, or its
// JSON when it is not a string; empty when absent), then "fields" with all of them as JSON.
// Every cell, the header's too, goes through spreadsheet_safe() unless `cells` is raw.
std::string csv_header(const std::vector<std::string>& field_columns,
                       CsvCells cells = CsvCells::safe);
std::string csv_row(const OrderResult& r, const std::vector<std::string>& field_columns,
                    CsvCells cells = CsvCells::safe);
// One CSV field: quoted (quotes doubled) when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

// What only the caller knows about the run.
struct RunInfo {
    std::chrono::system_clock::time_point started{};
    std::chrono::system_clock::time_point finished{};
    std::chrono::milliseconds wall{0};  // measured on a steady clock
    std::uint64_t connections_opened = 0;
    // Orders of the tally that earlier sessions of a resumed run attempted: `wall` is this
    // session's, so orders_per_second leaves them out.
    std::uint64_t attempted_before = 0;
    boost::json::object extra;  // job, action, stop_reason, dry_run, ...: copied in first
};

// summary.json: the caller's `extra`, then started, finished, orders, outcomes (every
// outcome, zeros included), failed, attempts, retries (attempts beyond the first),
// wall_time_s, orders_per_second (orders attempted at least once / wall time),
// latency_ms {p50, p95, p99, max, mean}, connections_opened. Computed keys win over `extra`.
boost::json::object summary_json(const Tally& tally, const RunInfo& info);

// The summary for humans on stderr: a few lines, the non-zero outcomes only.
std::string summary_text(const RunSummary& summary);

// The summary in one line, for --quiet: "rcbatch: JOB (ACTION): 120 orders: ok 110, api_error
// 8, unknown 2 — stopped: interrupted; reports DIR" (no newline).
std::string summary_line(const RunSummary& summary);

// Streams the records of one run into `dir` (which must exist): results.jsonl and results.csv,
// each record flushed before write() returns. They are new files (engine/store/private_file.hpp:
// FileOpen::replace — what is there already must be a regular file of the caller's); with
// `append`, files of the caller's are continued and the CSV header is written only into an
// empty file.
class ReportWriter {
  public:
    // `records` names the two files (engine/store/run_folder_names.hpp): results.* for a run,
    // plan.* for a dry run; `cells` says how the CSV writes its cells.
    ReportWriter(std::filesystem::path dir, std::vector<std::string> field_columns,
                 bool append = false,
                 run_folder_names::Records records = run_folder_names::Records::results,
                 CsvCells cells = CsvCells::safe);
    ~ReportWriter();
    ReportWriter(const ReportWriter&) = delete;
    ReportWriter& operator=(const ReportWriter&) = delete;

    // Returns the record as written to results.jsonl (without the newline), so the journal can
    // reuse it. Throws ReportError when either file cannot be written.
    std::string write(const OrderResult& r);

    // Writes summary.json (an AtomicFile), closes the result files and returns the summary,
    // with "reports" set to the folder. Throws ReportError.
    RunSummary finish(RunInfo info);

    const Tally& tally() const noexcept { return tally_; }
    const std::filesystem::path& dir() const noexcept { return dir_; }

  private:
    struct File {
        std::filesystem::path path;
        std::FILE* handle = nullptr;
    };
    static File open(const std::filesystem::path& path, bool append);
    static void put(File& file, std::string_view text);  // write and flush, or throw
    void close_all() noexcept;

    std::filesystem::path dir_;
    std::vector<std::string> field_columns_;
    CsvCells cells_;
    File jsonl_;
    File csv_;
    Tally tally_;
};

}  // namespace rcbatch::engine
