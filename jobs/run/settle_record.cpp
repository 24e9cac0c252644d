#include "jobs/run/settle_record.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/report/result_record.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run_folder/result_columns.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/state/ledger.hpp"

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {

std::chrono::system_clock::time_point time_of(const std::string& iso) {
    return engine::parse_iso8601_utc(iso).value_or(std::chrono::system_clock::time_point{});
}

// The run's summary as it was, for summary_json to extend: its own keys, its times, wall time
// and connections; the keys summary_json computes from the records are left to it.
engine::RunInfo previous_info(const RunFolder& folder, const engine::JournalScan& scan) {
    engine::RunInfo info;
    json::object previous = folder.read_summary().object.value_or(json::object());
    if (previous.empty()) {  // a dead run never rebuilt: what its journal says
        previous["job"] = string_field(scan.header, "job");
        previous["action"] = string_field(scan.header, "action");
        previous["stop_reason"] = "died";
        previous["complete"] = false;
        previous["started"] = string_field(scan.header, "started");
    }
    engine::RunSummary before = engine::RunSummary::read(std::move(previous));
    info.started = time_of(before.started);
    info.finished = time_of(before.finished);
    info.wall = std::chrono::milliseconds(before.wall_time_ms.value_or(0));
    info.connections_opened = before.connections_opened;
    info.extra = engine::without_computed_members(std::move(before.json));
    return info;
}

}  // namespace

engine::RunSummary rebuild_reports(const std::filesystem::path& dir, const ActionSpec& spec,
                                   const std::vector<std::string>& target_columns,
                                   const SettleOutcome& settled) {
    const RunFolder folder(dir);
    const engine::JournalScan scan = engine::scan_journal(folder.journal());
    engine::RunInfo info = previous_info(folder, scan);
    info.extra["settled"] =
        json::object{{"at", engine::iso8601_utc(std::chrono::system_clock::now())},
                     {"looked_up", settled.looked_up},
                     {"applied", settled.applied},
                     {"not_applied", settled.not_applied},
                     {"unknown", settled.unknown + settled.no_intent}};
    engine::ReportWriter writer(dir, result_field_columns(spec, false, target_columns));
    engine::for_each_last_result(folder.journal(), scan, false,
                                 [&](const engine::OrderResult& r) { writer.write(r); });
    return writer.finish(std::move(info));
}

void record_verdicts(const std::filesystem::path& state_dir, const std::filesystem::path& dir,
                     const std::string& uid, const std::vector<engine::OrderResult>& verdicts) {
    if (state_dir.empty() || verdicts.empty()) return;
    Ledger ledger(state_dir);
    std::optional<RunEntry> run = ledger.find_run_by_uid(uid);
    if (!run && uid.empty()) run = ledger.find_run(canonical_run_dir(dir).string());
    if (!run) return;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    ledger.begin_group();
    for (const engine::OrderResult& v : verdicts)
        ledger.settle_doubt(run->id, v.order_id, v.action,
                            std::string(engine::to_string(v.outcome)), v.message,
                            string_field(v.fields, "eaqid"), now);
    ledger.commit_group();
}

}  // namespace rcbatch::jobs
