#include "jobs/run/run_ledger_setup.hpp"

#include "engine/net/server_clock.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/state/state_dir.hpp"
#include "jobs/state/state_dir_check.hpp"

#include <boost/json/serialize.hpp>

namespace rcbatch::jobs {

namespace {
// A folder as ledgers before schema 2 stored it: absolute and normal, symlinks kept.
std::string as_given(const std::filesystem::path& dir) {
    std::filesystem::path path = std::filesystem::absolute(dir).lexically_normal();
    if (!path.has_filename() && path.has_parent_path()) path = path.parent_path();
    return path.string();
}
}  // namespace

std::optional<Refusal> open_run_state(const RunRequest& request, StateDirHold& state) {
    if (request.state_dir.empty()) return std::nullopt;
    try {
        open_state_dir(request.state_dir);
        if (!request.dry_run) {
            std::string holder;
            const auto lock_dir =
                job_lock_dir(request.state_dir, request.account, request.job_name);
            make_state_folder(request.state_dir, lock_dir);
            state.lock = engine::JobLock::try_acquire(
                lock_dir, holder, group_shared(request.state_dir) ? 0660 : 0600);
            if (!state.lock)
                return Refusal{engine::Failure::locked, "job '" + request.job_name +
                                                            "' is already running (" + holder +
                                                            "); nothing was sent"};
        }
        if (request.ledger) state.ledger = std::make_shared<Ledger>(request.state_dir);
    } catch (const StateDirError& e) {
        return Refusal{engine::Failure::bad_input, std::string(e.what()) + "; nothing was sent"};
    } catch (const SqliteError& e) {
        return Refusal{engine::Failure::state, ledger_refusal(request.state_dir, e.what())};
    } catch (const std::exception& e) {
        return Refusal{engine::Failure::state,
                       std::string("the state directory cannot be used: ") + e.what() +
                           "; nothing was sent (make it usable again: another state directory "
                           "starts an empty ledger, which knows none of the changes already "
                           "sent)"};
    }
    return std::nullopt;
}

void record_run_start(const RunRequest& request, const RunOutcome& report, std::uint64_t targets,
                      std::chrono::system_clock::time_point started, StateDirHold& state) {
    // Readers (rcbatch report, serve) then know which of the job's runs holds its lock.
    if (state.lock) state.lock->name_run(report.uid);
    if (!state.ledger) return;
    const std::string folder = canonical_run_dir(report.dir).string();
    if (!request.resume.empty()) {
        // By its id; a journal from before run ids, by its folder. A run this ledger has not
        // seen (resumed with another state directory) is registered below, with its id.
        std::optional<RunEntry> run = state.ledger->find_run_by_uid(report.uid);
        if (!run && report.uid.empty()) run = state.ledger->find_run(folder);
        if (!run && report.uid.empty()) run = state.ledger->find_run(as_given(request.resume));
        if (run) {
            state.run_id = run->id;
            state.ledger->resume_run(run->id);
            return;
        }
    }
    RunEntry run;
    run.uid = report.uid;
    run.folder = folder;
    run.job = request.job_name;
    run.job_file = request.job_file;
    run.account = request.account;
    run.action = std::string(request.action->spec->name);
    run.kind = request.dry_run                                                 ? "plan"
               : (request.source || request.search || !request.resume.empty()) ? "run"
                                                                               : "listing";
    run.started = engine::unix_seconds(started);
    run.targets = static_cast<std::int64_t>(targets);
    state.run_id = state.ledger->begin_run(run);
}

void record_run_end(const RunOutcome& report, StateDirHold& state) {
    if (!state.ledger || state.run_id == 0) return;
    state.ledger->finish_run(state.run_id, engine::local_unix_now(),
                             std::string(engine::to_string(report.stop)),
                             boost::json::serialize(report.summary.outcomes_json()));
}

std::shared_ptr<const std::map<std::string, std::int64_t>> recent_changes(const StateDirHold& state,
                                                                          const RunRequest& request,
                                                                          std::int64_t since) {
    if (!state.ledger) return std::make_shared<const std::map<std::string, std::int64_t>>();
    return std::make_shared<const std::map<std::string, std::int64_t>>(state.ledger->last_changes(
        request.account, std::string(request.action->spec->name), since));
}

}  // namespace rcbatch::jobs
