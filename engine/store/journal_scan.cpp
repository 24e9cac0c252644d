#include "engine/store/journal_scan.hpp"

#include "engine/report/result_record.hpp"
#include "engine/store/journal_error.hpp"
#include "engine/store/journal_lines.hpp"
#include "engine/store/line_reader.hpp"

#include <boost/json/parse.hpp>

#include <limits>

namespace rcbatch::engine {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct Line {
    json::object object;
    JournalLine kind = JournalLine::other;
    bool readable = false;
};

Line read_line(const std::string& text) {
    Line line;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return line;
    line.object = std::move(v.get_object());
    line.kind = journal_line_kind(line.object);
    line.readable = true;
    return line;
}

constexpr std::uint64_t max_journal_targets = 100'000'000;

// The journal opened as every run-folder file is: a regular file, never through a link, a line
// at a time with the run folder's line cap.
LineReader open(const fs::path& path) {
    std::string why;
    auto file = open_regular_file(path, no_size_cap, why, Links::refuse);
    if (!file) throw JournalError(path.string() + ": the journal " + why);
    return LineReader(std::move(*file), max_run_folder_line_bytes);
}

// A reader's error ends the scan: a journal read in part must not decide what to resend.
void throw_if_failed(const LineReader& in, const fs::path& path) {
    if (!in.error().empty()) throw JournalError(path.string() + ": " + in.error());
}

// The run header: the targets count sizes the scan.
void take_header(JournalScan& scan, json::object header, const std::string& where) {
    if (scan.sessions > 0) throw JournalError(where + ": a second run header");
    // A whole number no larger than any run can have (max-orders' own limit): a damaged or
    // hostile header must not make the scan throw something else, or allocate without end
    // (found by fuzz/fuzz_journal_scan).
    const auto count = journal_header_targets(header);
    if (!count) throw JournalError(where + ": the header has no targets count");
    if (*count > max_journal_targets)
        throw JournalError(where + ": the header counts " + std::to_string(*count) +
                           " targets, more than a run can have");
    scan.targets = *count;
    scan.last_result.assign(scan.targets, 0);
    scan.final_result.assign(scan.targets, false);
    scan.header = std::move(header);
    scan.sessions = 1;
}

// A result line for order `seq` at line `number`: a final result is never replaced, except by a
// settle line (`settled`), which is the verdict of a later look at the evidence. A settle line
// that reopens the order (not applied) carries the intent a --resume reconciles again.
void take_result(JournalScan& scan, std::uint64_t seq, json::object& result, std::uint32_t number,
                 bool settled) {
    const json::value* outcome = result.if_contains("outcome");
    const auto o =
        outcome && outcome->is_string() ? outcome_from_string(outcome->get_string()) : std::nullopt;
    const bool final = !o || engine::is_final(*o);  // an unreadable outcome is never rerun
    if (scan.final_result[seq] && !final && !settled) return;
    scan.last_result[seq] = number;
    if (final && !scan.final_result[seq]) {
        scan.final_result[seq] = true;
        ++scan.final_orders;
        scan.open_intents.erase(seq);
    } else if (!final && scan.final_result[seq]) {
        scan.final_result[seq] = false;
        --scan.final_orders;
        if (json::object* intent = reopened_intent(result))
            scan.open_intents.insert_or_assign(seq, std::move(*intent));
    }
}

}  // namespace

JournalScan scan_journal(const fs::path& path) {
    LineReader in = open(path);
    JournalScan scan;
    std::string text;
    std::uint32_t number = 0;
    bool pending_damage = false;  // the previous line was unreadable: damage unless it was the last
    auto where = [&] { return path.string() + ":" + std::to_string(number); };
    while (in.next(text)) {
        if (number == std::numeric_limits<std::uint32_t>::max())
            throw JournalError(path.string() + ": too many lines");
        ++number;
        if (text.empty()) continue;  // the newline added after a line cut short
        Line line = read_line(text);
        if (!line.readable) {
            if (pending_damage) ++scan.damaged_lines;
            pending_damage = true;
            continue;
        }
        // A line cut short is a crash's when the next session starts right after it.
        if (pending_damage && line.kind != JournalLine::resume) ++scan.damaged_lines;
        pending_damage = false;
        if (line.kind == JournalLine::run) {
            take_header(scan, std::move(line.object), where());
            continue;
        }
        if (scan.sessions == 0)
            throw JournalError(where() + ": the journal does not start with its header");
        if (line.kind == JournalLine::resume) {
            ++scan.sessions;
            continue;
        }
        if (line.kind != JournalLine::intent && line.kind != JournalLine::result &&
            line.kind != JournalLine::settle)
            continue;
        const auto seq = journal_line_seq(line.object);
        if (!seq || *seq >= scan.targets)
            throw JournalError(where() + ": an order outside the run's " +
                               std::to_string(scan.targets) + " targets");
        if (line.kind == JournalLine::intent) {
            if (!scan.final_result[*seq])
                scan.open_intents.try_emplace(*seq, std::move(line.object));
            continue;
        }
        take_result(scan, *seq, line.object, number, line.kind == JournalLine::settle);
    }
    throw_if_failed(in, path);
    if (scan.sessions == 0)
        throw JournalError(path.string() + ": no run header (the run died before it started)");
    return scan;
}

void for_each_last_result(const fs::path& path, const JournalScan& scan, bool finals_only,
                          const std::function<void(const OrderResult&)>& each) {
    LineReader in = open(path);
    std::string text;
    std::uint32_t number = 0;
    while (in.next(text)) {
        ++number;
        if (!may_be_result_line(text)) continue;  // no need to parse it
        Line line = read_line(text);
        if (!line.readable ||
            (line.kind != JournalLine::result && line.kind != JournalLine::settle))
            continue;
        const auto seq = journal_line_seq(line.object);
        if (!seq || *seq >= scan.targets || scan.last_result[*seq] != number) continue;
        if (finals_only && !scan.final_result[*seq]) continue;
        each(from_json(line.object));
    }
    throw_if_failed(in, path);
}

}  // namespace rcbatch::engine
