#pragma once
// What the run folder's journal says about the job (its header line) and how a resumed run
// continues from it: the orders with a final result are skipped, those with an intent and no
// final result carry that intent to the order runner, which reconciles them first.

#include "engine/batch/target.hpp"
#include "engine/store/journal_scan.hpp"
#include "engine/text/csv_cells.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// The job's parameters as JSON, in file order ({"months": 12, ...}): the header records them
// so a resume with other parameters is refused.
boost::json::object params_json(const std::vector<CallParam>& params);

// A new run's own id: 128 random bits in hex. The journal header and summary.json keep it, and
// the ledger finds the run by it, whatever path names its folder.
std::string new_run_uid();

// {"type":"run","job","action","params","targets","started","pid","uid"}: the journal's first
// line (engine/store/journal_lines.hpp).
boost::json::object journal_header(const std::string& job, const ActionSpec& spec,
                                   const std::vector<CallParam>& params, std::uint64_t targets,
                                   std::chrono::system_clock::time_point started,
                                   const std::string& uid);

// How the run folder's CSV files write their cells: the header's "csv" (a run's first session
// decides it for its resumes and for a rebuild); safe when the header does not say.
engine::CsvCells csv_cells_of(const boost::json::object& header);

// Why the run whose journal was scanned cannot be resumed with this job, or nullopt.
std::optional<std::string> resume_refusal(const engine::JournalScan& scan, const std::string& job,
                                          const ActionSpec& spec,
                                          const std::vector<CallParam>& params);

// The targets of targets.jsonl that a resumed run still has to run: those without a final
// result. One with an open intent gets it as extra["intent"] (the intent line). When the
// journal has damaged lines, a lost intent cannot be ruled out: every such target of a
// `mutating` action gets an intent with no recorded state, so it is reconciled, never resent
// blindly.
class ResumeSource final : public engine::TargetSource {
  public:
    ResumeSource(const std::filesystem::path& targets_file, const engine::JournalScan& scan,
                 bool mutating);
    std::optional<engine::Target> next() override;

  private:
    TargetsFileSource targets_;
    const engine::JournalScan& scan_;
    bool in_doubt_;
};

}  // namespace rcbatch::jobs
