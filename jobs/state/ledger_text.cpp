#include "jobs/state/ledger_text.hpp"

#include "engine/report/result_record.hpp"
#include "engine/secret/redact.hpp"
#include "engine/text/display_text.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {
// Every field from the ledger or the API's lists (the server's words, a folder's name) as one
// bounded, escaped field: no field can forge a line or act on the terminal.
std::string shown(std::string_view text) { return engine::printable_field(text); }

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
        out += (out.empty() ? "" : ", ") + shown(name) + " " + json::serialize(count);
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
        out += time_text(r.started) + "  " + shown(r.job) + "  " + shown(r.kind) + "  " +
               shown(r.action) + "  " + shown(r.account) + "  " + shown(ended(r));
        if (r.sessions > 1) out += " (" + std::to_string(r.sessions) + " sessions)";
        if (std::string counts = counts_text(r.outcomes); !counts.empty()) out += "  " + counts;
        out += "\n    " + shown(r.folder) + "\n";
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

namespace {
// "USD -15.000, invoice 700000001, 12 months".
std::string money_text(const ChangeEntry& c) {
    std::string out;
    const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (!c.amount.empty()) add(shown(c.currency.empty() ? c.amount : c.currency + " " + c.amount));
    if (!c.invoice.empty()) add("invoice " + shown(c.invoice));
    if (!c.term.empty()) add(shown(c.term));
    return out;
}

// The log's entry of rcbatch's change `c`, if the log lists it.
const LoggedAction* logged(const ChangeEntry& c, const std::vector<LoggedAction>* log) {
    if (!log || c.eaqid.empty()) return nullptr;
    for (const LoggedAction& a : *log)
        if (a.eaqid == c.eaqid) return &a;
    return nullptr;
}

bool in_ledger(const LoggedAction& a, const std::vector<ChangeEntry>& changes) {
    for (const ChangeEntry& c : changes)
        if (!c.eaqid.empty() && c.eaqid == a.eaqid) return true;
    return false;
}

std::string change_text(const ChangeEntry& c, const std::vector<LoggedAction>* log) {
    std::string out = time_text(c.intent_at) + "  " + shown(c.action) + "  " +
                      (c.outcome.empty() ? "in doubt (open)" : shown(c.outcome));
    if (!c.eaqid.empty()) out += "  action " + shown(c.eaqid);
    if (const LoggedAction* a = logged(c, log))
        out += " (action log: " + shown(bare_status(*a)) + ")";
    if (std::string money = money_text(c); !money.empty()) out += "  " + money;
    out += "  job " + shown(c.job) + "  " + shown(c.account) + "\n    " + shown(c.folder) + "\n";
    if (!c.evidence.empty()) out += "    " + shown(c.evidence) + "\n";
    return out;
}

std::string action_text(const LoggedAction& a) {
    std::string out = time_text(a.added) + "  " + shown(a.type) + "  " +
                      (a.status.empty() ? "-" : shown(bare_status(a))) + "  action " +
                      shown(a.eaqid) + "  by another client (not in this ledger)" +
                      (a.current ? "  (current: not finished)" : "") + "\n";
    if (!a.description.empty()) out += "    " + shown(a.description) + "\n";
    return out;
}
}  // namespace

std::string history_text(const std::string& order_id, const std::vector<ChangeEntry>& changes,
                         const std::vector<LoggedAction>* log) {
    std::vector<std::pair<std::int64_t, std::string>> lines;
    for (const ChangeEntry& c : changes) lines.emplace_back(c.intent_at, change_text(c, log));
    if (log)
        for (const LoggedAction& a : *log)
            if (!in_ledger(a, changes)) lines.emplace_back(a.added, action_text(a));
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    std::string out;
    if (lines.empty())
        out = "rcbatch has sent no change to order " + order_id + " (per the ledger)" +
              (log ? ", and the API's action lists show none\n" : "\n");
    for (const auto& [at, text] : lines) out += text;
    if (!log)
        out +=
            "(rcbatch's own changes only: with --profile NAME it shows other clients' "
            "changes too, from the API's action lists)\n";
    return engine::redact(out);
}

json::array history_json(const std::vector<ChangeEntry>& changes,
                         const std::vector<LoggedAction>* log) {
    json::array out;
    for (const ChangeEntry& c : changes) {
        json::object o{
            {"source", "ledger"},
            {"order_id", c.order_id},
            {"action", c.action},
            {"account", c.account},
            {"intent_at", time_json(c.intent_at)},
            {"finished_at", time_json(c.finished_at)},
            {"outcome", c.outcome.empty() ? json::value(nullptr) : json::value(c.outcome)},
            {"evidence", engine::redact(c.evidence)},
            {"eaqid", c.eaqid},
            {"amount", c.amount},
            {"currency", c.currency},
            {"invoice", c.invoice},
            {"term", c.term},
            {"job", c.job},
            {"folder", c.folder}};
        if (const LoggedAction* a = logged(c, log)) o["logged_status"] = a->status;
        out.push_back(std::move(o));
    }
    if (log)
        for (const LoggedAction& a : *log)
            if (!in_ledger(a, changes))
                out.push_back(json::object{{"source", "action-log"},
                                           {"order_id", a.order_id},
                                           {"eaqid", a.eaqid},
                                           {"type", a.type},
                                           {"description", engine::redact(a.description)},
                                           {"status", engine::redact(a.status)},
                                           {"added", time_json(a.added)},
                                           {"current", a.current}});
    return out;
}

}  // namespace rcbatch::jobs
