#include "jobs/state/ledger_text.hpp"

#include "engine/redact.hpp"
#include "engine/result_record.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {
std::string time_text(std::int64_t unix_seconds) {
    if (unix_seconds == 0) return "-";
    return engine::iso8601_utc(
        std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}

json::value time_json(std::int64_t unix_seconds) {
    if (unix_seconds == 0) return nullptr;
    return json::value(time_text(unix_seconds));
}

// "ok 12, skipped 3" from summary.json's outcome counts (zeros left out).
std::string counts_text(const std::string& outcomes) {
    boost::system::error_code ec;
    const json::value v = json::parse(outcomes, ec);
    if (ec || !v.is_object()) return "";
    std::string out;
    for (const auto& [name, count] : v.get_object()) {
        if (!count.is_number() || count.to_number<double>() == 0) continue;
        out += (out.empty() ? "" : ", ") + std::string(name) + " " + json::serialize(count);
    }
    return out;
}

std::string ended(const RunEntry& r) {
    if (r.finished == 0) return "running or died";
    return r.stop_reason == "none" || r.stop_reason.empty() ? "finished" : r.stop_reason;
}
}  // namespace

std::string runs_text(const std::vector<RunEntry>& runs) {
    if (runs.empty()) return "no runs in the ledger\n";
    std::string out;
    for (const RunEntry& r : runs) {
        out += time_text(r.started) + "  " + r.job + "  " + r.kind + "  " + r.action + "  " +
               r.account + "  " + ended(r);
        if (r.sessions > 1) out += " (" + std::to_string(r.sessions) + " sessions)";
        if (std::string counts = counts_text(r.outcomes); !counts.empty()) out += "  " + counts;
        out += "\n    " + r.folder + "\n";
    }
    return engine::redact(out);
}

json::array runs_json(const std::vector<RunEntry>& runs) {
    json::array out;
    for (const RunEntry& r : runs) {
        json::object o{{"job", r.job},
                       {"job_file", r.job_file},
                       {"kind", r.kind},
                       {"action", r.action},
                       {"account", r.account},
                       {"folder", r.folder},
                       {"started", time_json(r.started)},
                       {"finished", time_json(r.finished)},
                       {"sessions", r.sessions},
                       {"stop_reason", r.stop_reason},
                       {"targets", r.targets}};
        boost::system::error_code ec;
        json::value outcomes = json::parse(r.outcomes, ec);
        o["outcomes"] = ec ? json::value(nullptr) : outcomes;
        out.push_back(std::move(o));
    }
    return out;
}

std::string history_text(const std::string& order_id, const std::vector<ChangeEntry>& changes) {
    if (changes.empty())
        return "rcbatch has sent no change to order " + order_id + " (per the ledger)\n";
    std::string out;
    for (const ChangeEntry& c : changes) {
        out += time_text(c.intent_at) + "  " + c.action + "  " +
               (c.outcome.empty() ? "in doubt (open)" : c.outcome);
        if (!c.eaqid.empty()) out += "  action " + c.eaqid;
        out += "  job " + c.job + "  " + c.account + "\n    " + c.folder + "\n";
        if (!c.evidence.empty()) out += "    " + c.evidence + "\n";
    }
    return engine::redact(out);
}

json::array history_json(const std::vector<ChangeEntry>& changes) {
    json::array out;
    for (const ChangeEntry& c : changes)
        out.push_back(json::object{
            {"order_id", c.order_id},
            {"action", c.action},
            {"account", c.account},
            {"intent_at", time_json(c.intent_at)},
            {"finished_at", time_json(c.finished_at)},
            {"outcome", c.outcome.empty() ? json::value(nullptr) : json::value(c.outcome)},
            {"evidence", engine::redact(c.evidence)},
            {"eaqid", c.eaqid},
            {"job", c.job},
            {"folder", c.folder}});
    return out;
}

}  // namespace rcbatch::jobs
