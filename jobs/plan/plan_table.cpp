#include "jobs/plan/plan_table.hpp"

#include "engine/text/display_text.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/run_folder/json_lines.hpp"
#include "jobs/run_folder/run_folder_files.hpp"

#include <iomanip>
#include <map>
#include <string>

namespace rcbatch::jobs {

namespace {
// "; ~USD 150.00 (estimate)" for a record with an estimate, "; no list price ... (no estimate)".
std::string estimate_text(const boost::json::object& record) {
    const auto* fields = record.if_contains("fields");
    if (!fields || !fields->is_object() || !fields->as_object().contains("estimate")) return {};
    const std::string estimate = string_field(fields->as_object(), "estimate");
    const std::string assumed = string_field(fields->as_object(), "estimate_assumed");
    if (auto milli = parse_milli(estimate))
        return "; ~" + money_text(string_field(fields->as_object(), "estimate_currency"), *milli) +
               (assumed.empty() ? " (estimate)"
                                : " (estimate at the assumed " + assumed +
                                      " a month: the plan lists no price; unpriced)");
    return "; " + estimate + " (no estimate)";
}

// What a plan record says will happen, in words.
std::string what(const boost::json::object& record) {
    const std::string outcome = string_field(record, "outcome");
    const std::string message = string_field(record, "message");
    if (outcome == "ok") return message + estimate_text(record);
    if (outcome == "skipped") return "skip: " + message;
    return outcome + ": " + message;
}
}  // namespace

std::uint64_t print_plan(const std::filesystem::path& run_dir, std::ostream& out) {
    const RunFolder folder(run_dir);
    std::map<std::string, std::uint64_t> totals;
    std::uint64_t shown = 0;
    out << std::left << std::setw(12) << "ORDER" << std::setw(28) << "TARGET"
        << "WHAT\n";
    for_each_json_line(folder.plan(), [&](JsonLine& line) {
        if (!line.object) return;
        const boost::json::object& r = *line.object;
        out << std::setw(12) << engine::printable(string_field(r, "order")) << std::setw(28)
            << engine::printable(string_field(r, "target")) << engine::printable(what(r)) << '\n';
        const std::string outcome = string_field(r, "outcome");
        // The request that would be sent, already redacted by the request builder.
        if (const auto* fields = r.if_contains("fields");
            outcome == "ok" && fields && fields->is_object())
            if (std::string request = string_field(fields->as_object(), "request");
                !request.empty())
                out << std::setw(12) << ""
                    << "  " << engine::printable(request) << '\n';
        ++totals[outcome == "ok" ? "would run" : outcome];
        ++shown;
    });
    out << "totals:";
    // An outcome is the file's word too (plan.jsonl is read back): escaped and bounded.
    for (const auto& [name, count] : totals)
        out << "  " << engine::printable_field(name) << ' ' << count;
    out << '\n';
    // What it would cost, from the summary (an estimate at list prices, marked as such).
    if (const SummaryRead summary = folder.read_summary(); summary.object)
        for (const char* key : {"excluded", "estimate"})
            if (std::string text = string_field(*summary.object, std::string(key) + "_text");
                !text.empty())
                out << key << ": " << engine::printable(text) << '\n';
    return shown;
}

}  // namespace rcbatch::jobs
