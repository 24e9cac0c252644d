#include "jobs/run_history.hpp"

#include "engine/result_record.hpp"
#include "jobs/preflight.hpp"
#include "jobs/text_fields.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace rcbatch::jobs {

namespace {
// A record's "2026-11-27T16:44:24.410Z" -> Unix seconds; nullopt for anything else.
std::optional<std::int64_t> unix_seconds_of(std::string_view text) {
    const auto t = engine::parse_iso8601_utc(text);
    if (!t) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

std::optional<boost::json::object> parse_object(const std::string& line) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}
}  // namespace

std::map<std::string, std::int64_t> last_successes(const std::filesystem::path& job_dir,
                                                   std::string_view action, std::int64_t since) {
    std::map<std::string, std::int64_t> latest;
    std::error_code ec;
    if (!std::filesystem::is_directory(job_dir, ec)) return latest;
    for (const auto& run : std::filesystem::directory_iterator(job_dir, ec)) {
        std::ifstream in(run.path() / "results.jsonl");
        std::string line;
        while (std::getline(in, line)) {
            auto record = parse_object(line);
            if (!record || string_field(*record, "action") != action ||
                string_field(*record, "outcome") != "ok")
                continue;
            auto when = unix_seconds_of(string_field(*record, "finished"));
            const std::string order = string_field(*record, "order");
            if (!when || *when < since || order.empty()) continue;
            auto& slot = latest[order];
            slot = std::max(slot, *when);
        }
    }
    return latest;
}

PlanSource::PlanSource(const std::filesystem::path& plan_dir)
    : path_(plan_dir / "plan.jsonl"), in_(path_) {
    if (!in_) throw std::runtime_error(path_.string() + ": cannot read the plan");
    std::ifstream targets(plan_dir / "targets.jsonl");
    std::string line;
    while (std::getline(targets, line)) {
        auto target = parse_object(line);
        const auto* extra = target ? target->if_contains("extra") : nullptr;
        const auto* seq = target ? target->if_contains("seq") : nullptr;
        if (!extra || !extra->is_object() || !seq || !seq->is_number()) continue;
        boost::json::object own;
        for (const char* key : {"params", "keep"})
            if (const auto* v = extra->as_object().if_contains(key)) own[key] = *v;
        if (!own.empty()) own_[seq->to_number<std::uint64_t>()] = std::move(own);
    }
}

std::optional<engine::Target> PlanSource::next() {
    std::string line;
    while (std::getline(in_, line)) {
        ++line_;
        auto record = parse_object(line);
        if (!record)
            throw std::runtime_error(path_.string() + ": line " + std::to_string(line_) +
                                     " is not a plan record");
        if (string_field(*record, "outcome") != "ok") continue;
        engine::Target t;
        t.seq = seq_++;
        t.given = string_field(*record, "target");
        t.id = string_field(*record, "order");
        OrderState planned;
        if (const auto* fields = record->if_contains("fields"); fields && fields->is_object())
            planned = {string_field(fields->as_object(), "status"),
                       string_field(fields->as_object(), "endtime_before")};
        t.extra["planned"] = details_of(planned);
        const auto* plan_seq = record->if_contains("seq");
        if (plan_seq && plan_seq->is_number())
            if (auto own = own_.find(plan_seq->to_number<std::uint64_t>()); own != own_.end())
                for (const auto& [key, value] : own->second) t.extra[key] = value;
        return t;
    }
    return std::nullopt;
}

}  // namespace rcbatch::jobs
