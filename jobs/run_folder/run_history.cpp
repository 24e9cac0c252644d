#include "jobs/run_folder/run_history.hpp"

#include "engine/net/server_clock.hpp"
#include "engine/report/result_record.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/order/preflight.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

#include <chrono>
#include <stdexcept>

namespace rcbatch::jobs {

namespace {
// A record's "2026-11-27T16:44:24.410Z" -> Unix seconds; nullopt for anything else.
std::optional<std::int64_t> unix_seconds_of(std::string_view text) {
    const auto t = engine::parse_iso8601_utc(text);
    if (!t) return std::nullopt;
    return engine::unix_seconds(*t);
}

// The own parameters and kept columns of each target of a plan's targets.jsonl, by seq.
// Throws std::runtime_error when the file is there but cannot be read: a target must not run
// without its own parameters.
std::map<std::uint64_t, boost::json::object> own_columns(const std::filesystem::path& targets) {
    std::map<std::uint64_t, boost::json::object> out;
    if (!RunFolder::has(targets)) return out;
    const JsonLinesRead read = for_each_json_line(targets, [&](JsonLine& line) {
        const auto* extra = line.object ? line.object->if_contains("extra") : nullptr;
        const auto* seq = line.object ? line.object->if_contains("seq") : nullptr;
        if (!extra || !extra->is_object() || !seq || !seq->is_number()) return;
        boost::json::object own;
        for (const char* key : {"params", "keep"})
            if (const auto* v = extra->as_object().if_contains(key)) own[key] = *v;
        if (!own.empty()) out[seq->to_number<std::uint64_t>()] = std::move(own);
    });
    if (!read.opened || read.failed) throw std::runtime_error(read.error);
    return out;
}
}  // namespace

std::map<std::string, std::int64_t> last_successes(const std::filesystem::path& job_dir,
                                                   std::string_view action, std::int64_t since) {
    std::map<std::string, std::int64_t> latest;
    std::error_code ec;
    if (!std::filesystem::is_directory(job_dir, ec)) return latest;
    for (const auto& run : std::filesystem::directory_iterator(job_dir, ec)) {
        for_each_json_line(RunFolder(run.path()).results(), [&](JsonLine& line) {
            const auto& record = line.object;
            if (!record || string_field(*record, "action") != action ||
                string_field(*record, "outcome") != "ok")
                return;
            auto when = unix_seconds_of(string_field(*record, "finished"));
            const std::string order = string_field(*record, "order");
            if (!when || *when < since || order.empty()) return;
            auto& slot = latest[order];
            slot = std::max(slot, *when);
        });
    }
    return latest;
}

PlanSource::PlanSource(const std::filesystem::path& plan_dir)
    : in_(RunFolder(plan_dir).plan()), own_(own_columns(RunFolder(plan_dir).targets())) {
    if (!in_.is_open()) throw std::runtime_error(in_.error() + " (the plan)");
}

std::optional<engine::Target> PlanSource::next() {
    while (auto line = in_.next()) {
        const auto& record = line->object;
        if (!record)
            throw std::runtime_error(in_.path().string() + ": line " +
                                     std::to_string(line->number) + " is not a plan record");
        if (string_field(*record, "outcome") != "ok") continue;
        engine::Target t;
        t.seq = seq_++;
        t.given = string_field(*record, "target");
        t.id = string_field(*record, "order");
        OrderState planned;
        if (const auto* fields = record->if_contains("fields"); fields && fields->is_object())
            planned = {string_field(fields->as_object(), "status"),
                       string_field(fields->as_object(), "endtime_before"),
                       string_field(fields->as_object(), "planid")};
        t.extra["planned"] = details_of(planned);
        const auto* plan_seq = record->if_contains("seq");
        if (plan_seq && plan_seq->is_number())
            if (auto own = own_.find(plan_seq->to_number<std::uint64_t>()); own != own_.end())
                for (const auto& [key, value] : own->second) t.extra[key] = value;
        return t;
    }
    if (in_.failed()) throw std::runtime_error(in_.error() + " (the plan)");
    return std::nullopt;
}

}  // namespace rcbatch::jobs
