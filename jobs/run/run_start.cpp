#include "jobs/run/run_start.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/store/journal_lines.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"
#include "jobs/select/search_selector.hpp"
#include "jobs/state/first_seen.hpp"

#include <boost/asio/co_spawn.hpp>

namespace rcbatch::jobs {

namespace asio = boost::asio;

namespace {
// What the selection phase settled: the targets in targets.jsonl, or why the run must not go on.
struct Selection {
    std::uint64_t count = 0;
    std::uint64_t duplicates = 0;
    std::string mismatch;
    std::vector<std::int64_t> excluded;  // found by the search, left out by the job
    std::optional<Refusal> refusal;
};

std::optional<Refusal> search_refusal(const SelectionResult& found, std::int64_t max_orders) {
    if (found.stop == engine::StopReason::fatal)
        return Refusal{engine::Failure::stopped,
                       "stopped during the search: " + fatal_advice(found.stop_message) +
                           "; nothing was sent"};
    if (!found.untrusted.empty())
        return Refusal{engine::Failure::stopped, "the search's pages cannot be trusted: " +
                                                     found.untrusted + "; nothing was sent"};
    if (!found.complete)
        return Refusal{engine::Failure::selection_incomplete, found.error + "; nothing was sent"};
    if (static_cast<std::int64_t>(found.api_total) > max_orders)
        return Refusal{engine::Failure::bad_input,
                       "the search found " + std::to_string(found.api_total) +
                           " orders, more than max-orders = " + std::to_string(max_orders) +
                           "; nothing was sent"};
    return std::nullopt;
}

Selection select_targets(asio::io_context& ioc, RunRequest& request,
                         const std::filesystem::path& dir) {
    Selection s;
    std::uint64_t named = 0;  // an explicit source's targets
    TargetsWriter writer(RunFolder(dir).targets(), seen_keys_on_disk());
    if (request.search) {
        SelectionResult found;
        std::exception_ptr failure;
        asio::co_spawn(ioc,
                       select_by_search(*request.search, request.action, request.batch, writer,
                                        request.max_orders),
                       [&](std::exception_ptr e, SelectionResult r) {
                           failure = e;
                           found = std::move(r);
                       });
        ioc.run();
        ioc.restart();
        if (failure) std::rethrow_exception(failure);
        s.refusal = search_refusal(found, request.max_orders);
        s.mismatch = found.error;
        s.excluded = std::move(found.excluded);
    } else {
        // Only max-orders + 1 targets are written: a list refused for max-orders costs no disk.
        named = copy_targets(*request.source, writer,
                             static_cast<std::uint64_t>(request.max_orders) + 1);
    }
    writer.close();
    s.count = writer.count();
    s.duplicates = writer.duplicates();
    const std::uint64_t count = std::max(named, s.count);
    if (!s.refusal && static_cast<std::int64_t>(count) > request.max_orders)
        s.refusal = {engine::Failure::bad_input,
                     "the job names " + std::to_string(count) + " orders, more than max-orders = " +
                         std::to_string(request.max_orders) + "; nothing was sent"};
    return s;
}
}  // namespace

RunStart start_new(asio::io_context& ioc, RunRequest& request, RunOutcome& report,
                   std::chrono::system_clock::time_point started) {
    RunStart start;
    report.dir = engine::create_run_dir(request.reports, request.job_name, started);
    report.uid = new_run_uid();
    if (!request.source && !request.search) return start;
    Selection selection = select_targets(ioc, request, report.dir);
    if (selection.refusal) {
        start.refusal = std::move(selection.refusal);
        return start;
    }
    report.mismatch = selection.mismatch;
    report.duplicates = selection.duplicates;
    report.excluded = std::move(selection.excluded);
    start.total = selection.count;
    const RunFolder folder(report.dir);
    start.targets = std::make_unique<TargetsFileSource>(folder.targets());
    if (!request.dry_run && request.journal) {
        start.journal = std::make_unique<engine::Journal>(ioc.get_executor(), folder.journal(),
                                                          engine::FileOpen::create);
        boost::json::object header =
            journal_header(request.job_name, *request.action->spec, request.action->params,
                           start.total, started, report.uid);
        if (!request.account.empty()) header["account"] = request.account;
        if (!request.job_file.empty()) header["job_file"] = request.job_file;
        header["csv"] = engine::to_string(request.csv);
        start.journal->write_now(header);
    }
    return start;
}

RunStart start_resumed(asio::io_context& ioc, const RunRequest& request, RunOutcome& report,
                       std::chrono::system_clock::time_point& started) {
    RunStart start;
    // The folder by its one name (absolute, symlinks resolved, no trailing '/'), whatever path
    // the user gave: the hints and the ledger use it.
    report.dir = canonical_run_dir(request.resume);
    const RunFolder folder(report.dir);
    const auto journal_path = folder.journal();
    if (request.dry_run) {
        start.refusal = {engine::Failure::bad_input, "a plan cannot be resumed"};
        return start;
    }
    if (!std::filesystem::exists(journal_path)) {
        start.refusal = {engine::Failure::bad_input,
                         report.dir.string() + " has no " + std::string(RunFolder::journal_name) +
                             " (not a run folder, a plan, a listing, or a run "
                             "that died before it sent anything)"};
        return start;
    }
    try {
        start.resumed.emplace(engine::scan_journal(journal_path));
    } catch (const engine::JournalError& e) {  // a FIFO, a link, a line over the cap, damage
        start.refusal = {engine::Failure::bad_input,
                         "cannot resume " + report.dir.string() + ": " + e.what()};
        return start;
    }
    const engine::JournalScan& scan = *start.resumed;
    if (auto why =
            resume_refusal(scan, request.job_name, *request.action->spec, request.action->params)) {
        start.refusal = {engine::Failure::bad_input,
                         "cannot resume " + report.dir.string() + ": " + *why};
        return start;
    }
    if (const auto* at = scan.header.if_contains("started"); at && at->is_string())
        started = engine::parse_iso8601_utc(at->get_string()).value_or(started);
    report.uid = string_field(scan.header, "uid");  // "" in a journal from before run ids
    start.total = scan.targets - scan.final_orders;
    start.targets =
        std::make_unique<ResumeSource>(folder.targets(), scan, request.action->spec->mutating);
    start.journal = std::make_unique<engine::Journal>(ioc.get_executor(), journal_path);
    start.journal->write_now(engine::journal_resume_line(std::chrono::system_clock::now()));
    return start;
}

}  // namespace rcbatch::jobs
