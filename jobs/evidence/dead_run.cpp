#include "jobs/evidence/dead_run.hpp"

#include "engine/store/job_lock.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/order/target_context.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/state/state_dir.hpp"

namespace rcbatch::jobs {

bool run_alive(const std::filesystem::path& state_dir, const std::string& account,
               const std::string& job) {
    try {
        return engine::JobLock::held(job_lock_dir(state_dir, account, job));
    } catch (const std::exception&) {
        return true;
    }
}

namespace {
DeadJournal unreadable(std::string why) {
    DeadJournal d;
    d.why = std::move(why);
    return d;
}
}  // namespace

DeadJournal read_dead_journal(const std::filesystem::path& folder, const std::string& job,
                              const std::string& order_id) {
    const std::filesystem::path path = RunFolder(folder).journal();
    if (!RunFolder::has(path)) return unreadable("its journal " + path.string() + " is gone");
    DeadJournal d;
    try {
        const engine::JournalScan scan = engine::scan_journal(path);
        if (string_field(scan.header, "job") != job)
            return unreadable(path.string() + " is the journal of another job");
        for (const auto& [seq, line] : scan.open_intents)
            if (string_field(line, "order") == order_id) {
                d.says = DeadJournal::Says::intent;
                d.intent = earlier_intent(line);
                return d;
            }
        engine::for_each_last_result(path, scan, true, [&](const engine::OrderResult& r) {
            if (r.order_id != order_id || d.says == DeadJournal::Says::result) return;
            d.says = DeadJournal::Says::result;
            d.outcome = std::string(engine::to_string(r.outcome));
            d.message = r.message;
            if (const auto* eaqid = r.fields.if_contains("eaqid"); eaqid && eaqid->is_string())
                d.eaqid = std::string(eaqid->get_string());
        });
        if (d.says == DeadJournal::Says::result) return d;
        if (scan.damaged_lines > 0)
            return unreadable(path.string() + " has damaged lines: its intent may be lost");
        d.says = DeadJournal::Says::never_sent;
        return d;
    } catch (const std::exception& e) {
        return unreadable(e.what());
    }
}

}  // namespace rcbatch::jobs
