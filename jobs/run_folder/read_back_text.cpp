// The report of a run folder for humans and for scripts (read_back.hpp).

#include "engine/text/display_text.hpp"
#include "engine/text/shell_word.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/run_messages.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

#include <algorithm>
#include <array>

namespace rcbatch::jobs {

namespace json = boost::json;
using engine::Outcome;

namespace {

constexpr std::size_t outcome_width = 9;  // "api_error", "cancelled": the failures line up
constexpr std::size_t max_text = 200;     // characters of a message or target shown on one line

// Untrusted text (the API's message, a target as given) on one terminal line: control and
// bidi characters escaped (engine::printable), and a long text cut.
std::string one_line(std::string_view text) {
    std::string out = engine::printable(text);
    if (out.size() <= max_text) return out;
    std::size_t end = max_text;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
    out.resize(end);
    return out + "...";
}

bool stopped_before(Outcome o) { return o == Outcome::not_run || o == Outcome::cancelled; }

// The command that runs the job again as its run did (summary.json "command": each word
// quoted for the shell when the run wrote it), or a template. summary.json is a file after the
// run: a command with a control character in it, or that is not an rcbatch run, is not offered
// for pasting.
std::string rerun(const RunFolderReport& r) {
    if (r.summary)
        if (const std::string& command = r.summary->command;
            command.starts_with("rcbatch run ") && engine::printable(command) == command)
            return command;
    return "rcbatch run JOB.toml";
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

bool resumable(const RunFolderReport& r) {
    return r.kind == FolderKind::run && r.has_journal && !r.finished() &&
           r.state != RunState::running;
}

// The command that continues the run, or what to do instead; empty for a finished run.
std::string next_step(const RunFolderReport& r) {
    if (r.finished()) return {};
    const std::string dir = engine::shell_word(r.dir.string());
    if (r.state == RunState::running)
        return "a run of job '" + r.job + "' holds its lock (" + r.lock_holder +
               "); run rcbatch report " + dir + " again when it has ended";
    if (resumable(r)) return "continue it with: " + resume_command(rerun(r), r.dir);
    if (r.kind == FolderKind::plan)
        return "a plan cannot be resumed; make a new one with: rcbatch plan" +
               rerun(r).substr(std::string_view("rcbatch run").size());
    if (r.kind == FolderKind::listing)
        return "a listing cannot be resumed; run it again with: " + rerun(r);
    return "the run sent nothing and cannot be resumed; run it again with: " + rerun(r);
}

std::string state_text(const RunFolderReport& r) {
    switch (r.state) {
        case RunState::finished:
            return "finished";
        case RunState::stopped: {
            std::string s = "stopped";
            if (!r.stop_reason.empty() && r.stop_reason != "none") s += ": " + r.stop_reason;
            if (r.summary)
                if (const std::string& m = r.summary->stop_message; !m.empty())
                    s += " (" + one_line(m) + ")";
            return s;
        }
        case RunState::died:
            return r.summary && !r.rebuilt
                       ? "died (its reports were rebuilt from the journal earlier)"
                       : "died (no summary.json: the process ended before writing it)";
        case RunState::running:
            return "running (no summary.json yet)";
    }
    return {};
}

// The head: the job, the folder, its state and its counts.
std::string counts_text(const RunFolderReport& r, std::uint64_t failed, std::uint64_t not_run) {
    const engine::Tally& t = r.tally;
    std::string out = "rcbatch report: ";
    out += r.job.empty() ? std::string("(no job name)") : r.job;
    if (!r.action.empty()) out += " (" + r.action + ")";
    if (r.kind != FolderKind::run) out += ", a " + std::string(to_string(r.kind));
    out += '\n';
    out += "  folder     " + r.dir.string() + '\n';
    out += "  state      " + state_text(r) + '\n';
    if (r.has_journal)
        out += "  sessions   " + std::to_string(r.sessions) +
               (r.sessions > 1 ? " (resumed " + plural(r.sessions - 1, "time", "times") + ")"
                               : std::string()) +
               '\n';
    out += "  targets    " + std::to_string(r.targets) + "   with a final result " +
           std::to_string(r.final_orders) + "   no result yet " + std::to_string(r.no_result) +
           '\n';
    std::string counts;
    for (Outcome o : engine::outcomes_in_report_order)
        if (auto n = t.count(o); n > 0)
            counts += (counts.empty() ? "" : "   ") + std::string(engine::to_string(o)) + " " +
                      std::to_string(n);
    out += "  outcomes   " + (counts.empty() ? std::string("(no records)") : counts) + '\n';
    out += "  failed     " + std::to_string(failed) +
           (not_run > 0 ? "   not run " + std::to_string(not_run) : std::string()) +
           "   attempts " + std::to_string(t.attempts()) + " (" +
           plural(t.retries(), "retry", "retries") + ")\n";
    if (r.charged_action) out += "  money      " + r.money.text() + '\n';
    if (r.damaged_lines > 0)
        out += "  damaged    " + plural(r.damaged_lines, "line", "lines") + " of the " +
               (r.has_journal ? "journal" : "records") + " could not be read\n";
    if (r.summary)
        if (const std::string& m = r.summary->count_mismatch; !m.empty())
            out += "  incomplete the search's count and entries disagree: " + one_line(m) + '\n';
    return out;
}

std::string open_intents_text(const RunFolderReport& r) {
    if (r.open_intent_count == 0) return {};
    std::string out =
        "open intents (" + std::to_string(r.open_intent_count) +
        "): the change was sent and may have been applied; rcbatch run --resume reconciles "
        "these first\n";
    for (const OpenIntent& i : r.open_intents)
        out += "  seq " + std::to_string(i.seq) + "   order " + one_line(i.order_id) + '\n';
    if (r.open_intents.size() < r.open_intent_count)
        out +=
            "  ... and " + std::to_string(r.open_intent_count - r.open_intents.size()) + " more\n";
    return out;
}

std::string failures_text(const RunFolderReport& r, std::uint64_t failed) {
    if (failed == 0) return {};
    std::string out = "failed orders (" + std::to_string(failed) + "):\n";
    std::uint64_t shown = 0;
    for (const FailedOrder& f : r.failures) {
        if (stopped_before(f.outcome)) continue;
        ++shown;
        std::string outcome(engine::to_string(f.outcome));
        outcome.resize(std::max<std::size_t>(outcome.size(), outcome_width), ' ');
        out += "  " + outcome + "  seq " + std::to_string(f.seq) + "  order " +
               (f.order_id.empty() ? std::string("-") : one_line(f.order_id)) + "  target " +
               one_line(f.target);
        if (!f.message.empty()) out += "  " + one_line(f.message);
        if (f.outcome == Outcome::unknown) out += "  -- check by hand: may have been applied";
        out += '\n';
    }
    const std::string records(RunFolder::records_csv_name(r.kind == FolderKind::plan));
    if (failed > shown)
        out += "  ... and " + std::to_string(failed - shown) + " more (see " + records + ")\n";
    return out;
}

}  // namespace

std::string report_text(const RunFolderReport& r) {
    const engine::Tally& t = r.tally;
    const std::uint64_t not_run = t.count(Outcome::not_run) + t.count(Outcome::cancelled);
    const std::uint64_t failed = t.failed() - std::min(t.failed(), not_run);
    std::string out =
        counts_text(r, failed, not_run) + open_intents_text(r) + failures_text(r, failed);
    if (not_run > 0)
        out += "not run (" + std::to_string(not_run) + "): not_run " +
               std::to_string(t.count(Outcome::not_run)) + ", cancelled " +
               std::to_string(t.count(Outcome::cancelled)) +
               ": the run stopped before they ended, not failures of their own" +
               (resumable(r) ? "; --resume runs them" : std::string()) + "\n";
    if (r.rebuilt)
        out +=
            "rebuilt results.jsonl, results.csv and summary.json (\"complete\": false) from the "
            "journal: "
            "the run died before writing them\n";
    else if (!r.not_rebuilt.empty())
        out += "reports not rebuilt: " + r.not_rebuilt + '\n';
    if (auto next = next_step(r); !next.empty()) out += next + '\n';
    return engine::printable_lines(out);
}

json::object report_json(const RunFolderReport& r) {
    const engine::Tally& t = r.tally;
    json::object o;
    o["dir"] = r.dir.string();
    o["kind"] = to_string(r.kind);
    o["job"] = r.job;
    o["action"] = r.action;
    o["state"] = to_string(r.state);
    o["finished"] = r.finished();
    o["stop_reason"] = r.stop_reason;
    o["targets"] = r.targets;
    o["orders"] = t.orders();
    json::object outcomes;
    for (Outcome oc : engine::outcomes_in_report_order)
        outcomes[engine::to_string(oc)] = t.count(oc);
    o["outcomes"] = std::move(outcomes);
    o["failed"] = t.failed();
    o["final_orders"] = r.final_orders;
    o["no_result"] = r.no_result;
    o["attempts"] = t.attempts();
    o["retries"] = t.retries();
    if (r.has_journal) o["sessions"] = r.sessions;
    o["damaged_lines"] = r.damaged_lines;
    json::array intents;
    for (const OpenIntent& i : r.open_intents)
        intents.push_back(json::object{{"seq", i.seq}, {"order", i.order_id}});
    o["open_intents"] = r.open_intent_count;
    o["open_intent_orders"] = std::move(intents);
    json::array failures;
    for (const FailedOrder& f : r.failures)
        failures.push_back(json::object{{"seq", f.seq},
                                        {"order", f.order_id},
                                        {"target", f.target},
                                        {"outcome", engine::to_string(f.outcome)},
                                        {"message", f.message},
                                        {"check_by_hand", f.outcome == Outcome::unknown}});
    o["failures"] = std::move(failures);
    o["failures_left_off"] = r.failures_left_off;
    o["rebuilt"] = r.rebuilt;
    if (!r.not_rebuilt.empty()) o["not_rebuilt"] = r.not_rebuilt;
    if (r.state == RunState::running) o["lock_holder"] = r.lock_holder;
    o["not_run"] = t.count(Outcome::not_run) + t.count(Outcome::cancelled);
    if (resumable(r))
        o["resume"] = resume_command(rerun(r), r.dir);
    else
        o["resume"] = nullptr;
    if (r.charged_action) r.money.into(o);  // charged, charged_in_doubt, ... as summary.json
    o["exit_code"] = static_cast<int>(report_exit_code(r));
    return o;
}

std::string_view to_string(FolderKind k) noexcept {
    switch (k) {
        case FolderKind::run:
            return "run";
        case FolderKind::plan:
            return "plan";
        case FolderKind::listing:
            return "listing";
    }
    return "run";
}

std::string_view to_string(RunState s) noexcept {
    switch (s) {
        case RunState::finished:
            return "finished";
        case RunState::stopped:
            return "stopped";
        case RunState::died:
            return "died";
        case RunState::running:
            return "running";
    }
    return "died";
}

engine::ExitCode report_exit_code(const RunFolderReport& report) {
    const bool mismatch = report.summary && !report.summary->count_mismatch.empty();
    if (report.finished() && report.tally.failed() == 0 && report.damaged_lines == 0 && !mismatch)
        return engine::ExitCode::ok;
    return engine::ExitCode::orders_failed;
}

}  // namespace rcbatch::jobs
