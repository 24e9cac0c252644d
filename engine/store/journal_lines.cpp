#include "engine/store/journal_lines.hpp"

#include "engine/report/result_record.hpp"
#include "engine/report/run_summary.hpp"

#include <array>
#include <unistd.h>
#include <utility>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<JournalLine, std::string_view>, 5> names{{
    {JournalLine::run, "run"},
    {JournalLine::resume, "resume"},
    {JournalLine::intent, "intent"},
    {JournalLine::result, "result"},
    {JournalLine::settle, "settle"},
}};

// `record_json` (one serialized object) with its members after `{"type":"KIND",`.
std::string typed_record_line(JournalLine kind, std::string_view record_json, int retries) {
    std::string line = "{\"type\":\"";
    line += to_string(kind);
    line += "\",";
    if (record_json.size() >= 2) line.append(record_json.substr(1, record_json.size() - 2));
    line += ",\"retries\":";
    line += std::to_string(retries);
    line += '}';
    return line;
}

}  // namespace

std::string_view to_string(JournalLine kind) noexcept {
    for (const auto& [k, name] : names)
        if (k == kind) return name;
    return "other";
}

JournalLine journal_line_kind(const json::object& line) noexcept {
    const json::value* type = line.if_contains("type");
    if (!type || !type->is_string()) return JournalLine::other;
    for (const auto& [kind, name] : names)
        if (type->get_string() == name) return kind;
    return JournalLine::other;
}

bool may_be_result_line(std::string_view text) noexcept {
    return text.find("\"result\"") != std::string_view::npos ||
           text.find("\"settle\"") != std::string_view::npos;
}

std::optional<std::uint64_t> journal_line_seq(const json::object& line) noexcept {
    return member_count(line, "seq");
}

std::optional<std::uint64_t> journal_header_targets(const json::object& header) noexcept {
    return member_count(header, "targets");
}

json::object journal_run_line(const json::object& fields) {
    json::object line{{"type", to_string(JournalLine::run)}};
    for (const auto& member : fields)
        if (member.key() != "type") line[member.key()] = member.value();
    return line;
}

json::object journal_resume_line(std::chrono::system_clock::time_point at) {
    return {{"type", to_string(JournalLine::resume)},
            {"at", iso8601_utc(at, true)},
            {"pid", ::getpid()}};
}

std::string journal_intent_line(std::uint64_t seq, int attempt, std::string_view members_json) {
    std::string line = "{\"type\":\"intent\",\"seq\":" + std::to_string(seq) +
                       ",\"attempt\":" + std::to_string(attempt);
    if (!members_json.empty()) line.append(",").append(members_json);
    line += '}';
    return line;
}

std::string journal_result_line(std::string_view record_json, int retries) {
    return typed_record_line(JournalLine::result, record_json, retries);
}

std::string journal_settle_line(std::string_view record_json, int retries,
                                std::string_view intent_json) {
    std::string line = typed_record_line(JournalLine::settle, record_json, retries);
    if (!intent_json.empty()) {
        line.pop_back();
        line.append(",\"intent\":").append(intent_json).push_back('}');
    }
    return line;
}

json::object* reopened_intent(json::object& settle_line) noexcept {
    json::value* intent = settle_line.if_contains("intent");
    return intent && intent->is_object() ? &intent->get_object() : nullptr;
}

}  // namespace rcbatch::engine
