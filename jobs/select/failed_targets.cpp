#include "jobs/select/failed_targets.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"
#include "jobs/select/param_cells.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace rcbatch::jobs {

namespace json = boost::json;
using engine::Outcome;

namespace {

struct Row {
    std::string order_id, given;
    std::vector<std::pair<std::string, std::string>> cells;  // column -> text
};

// A target's own parameter and kept columns, as cells.
std::vector<std::pair<std::string, std::string>> own_cells(const json::object& extra) {
    std::vector<std::pair<std::string, std::string>> cells;
    if (const auto* params = extra.if_contains("params"); params && params->is_object())
        for (const auto& [name, value] : params->get_object())
            if (auto v = param_from_json(value)) cells.emplace_back(name, param_text(*v));
    if (const auto* keep = extra.if_contains("keep"); keep && keep->is_object())
        for (const auto& [name, value] : keep->get_object())
            if (value.is_string()) cells.emplace_back(name, std::string(value.get_string()));
    return cells;
}

void add_column(std::vector<std::string>& columns, const std::string& name) {
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
}

std::string csv_of(const std::vector<Row>& rows, bool by_name, FailedTargets& out) {
    std::vector<std::string> columns;
    for (const Row& r : rows)
        for (const auto& [name, text] : r.cells) add_column(columns, name);
    std::string csv = by_name ? "domain-name" : "order-id";
    for (const std::string& c : columns) csv += "," + engine::csv_field(c);
    csv += '\n';
    for (const Row& r : rows) {
        const std::string& id = by_name ? r.given : r.order_id;
        if (id.empty()) {
            ++out.no_id;
            continue;
        }
        csv += engine::csv_field(id);
        std::map<std::string, std::string> cells(r.cells.begin(), r.cells.end());
        for (const std::string& c : columns) csv += "," + engine::csv_field(cells[c]);
        csv += '\n';
        ++out.rows;
    }
    return out.rows > 0 ? csv : std::string();
}

}  // namespace

FailedTargets failed_targets(const std::filesystem::path& dir) {
    const RunFolder folder(dir);
    const engine::JournalScan scan = engine::scan_journal(folder.journal());
    FailedTargets out;
    out.job_file = string_field(scan.header, "job_file");
    std::map<std::uint64_t, engine::OrderResult> failed;  // by seq
    engine::for_each_last_result(folder.journal(), scan, false, [&](const engine::OrderResult& r) {
        if (!engine::is_failure(r.outcome)) return;
        if (r.outcome == Outcome::unknown) {
            ++out.unknown;
        } else if (scan.open_intents.contains(r.seq)) {
            ++out.in_doubt;  // not_run or cancelled after its request may have left
        } else {
            failed.emplace(r.seq, r);
        }
    });
    std::vector<Row> rows;
    bool by_name = true;  // every target was given as a domain name
    TargetsFileSource targets(folder.targets());
    while (auto target = targets.next()) {
        if (!scan.is_final(target->seq) && scan.last_result[target->seq] == 0) {
            ++(scan.open_intents.contains(target->seq) ? out.in_doubt : out.no_result);
            continue;
        }
        const auto it = failed.find(target->seq);
        if (it == failed.end()) continue;
        Row row{it->second.order_id.empty() ? target->id : it->second.order_id, target->given,
                own_cells(target->extra)};
        by_name = by_name && !parse_order_id(target->given);
        rows.push_back(std::move(row));
    }
    out.csv = csv_of(rows, by_name && !rows.empty(), out);
    return out;
}

}  // namespace rcbatch::jobs
