#include "jobs/run/run_journal.hpp"

#include "engine/report/result_record.hpp"
#include "engine/store/journal_lines.hpp"
#include "jobs/api/text_fields.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <cstdio>
#include <random>
#include <unistd.h>
#include <variant>

namespace rcbatch::jobs {

namespace json = boost::json;

json::object params_json(const std::vector<CallParam>& params) {
    json::object o;
    for (const CallParam& p : params)
        std::visit([&](const auto& v) { o[p.name] = json::value_from(v); }, p.value);
    return o;
}

std::string new_run_uid() {
    std::random_device entropy;  // the kernel's random source: runs on other machines differ too
    std::string uid;
    for (int word = 0; word < 4; ++word) {
        char hex[9];
        std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(entropy()));
        uid += hex;
    }
    return uid;
}

engine::CsvCells csv_cells_of(const json::object& header) {
    const json::value* csv = header.if_contains("csv");
    return csv && csv->is_string() && csv->get_string() == "raw" ? engine::CsvCells::raw
                                                                 : engine::CsvCells::safe;
}

json::object journal_header(const std::string& job, const ActionSpec& spec,
                            const std::vector<CallParam>& params, std::uint64_t targets,
                            std::chrono::system_clock::time_point started, const std::string& uid) {
    return engine::journal_run_line({{"job", job},
                                     {"action", spec.name},
                                     {"declaration", spec.digest},
                                     {"params", params_json(params)},
                                     {"targets", targets},
                                     {"started", engine::iso8601_utc(started, true)},
                                     {"pid", ::getpid()},
                                     {"uid", uid}});
}

std::optional<std::string> resume_refusal(const engine::JournalScan& scan, const std::string& job,
                                          const ActionSpec& spec,
                                          const std::vector<CallParam>& params) {
    if (string_field(scan.header, "job") != job)
        return "the run folder belongs to job '" + string_field(scan.header, "job") + "', not '" +
               job + "'";
    if (string_field(scan.header, "action") != spec.name)
        return "the run folder is a run of " + string_field(scan.header, "action") + ", not " +
               std::string(spec.name);
    // A journal from before declarations has none: its action was the built-in of the time.
    if (scan.header.contains("declaration") &&
        string_field(scan.header, "declaration") != spec.digest)
        return "the declaration of " + std::string(spec.name) + " changed since the run started (" +
               string_field(scan.header, "declaration") + ", now " + std::string(spec.digest) +
               "); finish it with the declaration it started with";
    const json::value* recorded = scan.header.if_contains("params");
    const json::object now = params_json(params);
    if (!recorded || *recorded != json::value(now))
        return "the job's parameters changed since the run started (run: " +
               (recorded ? json::serialize(*recorded) : std::string("none")) +
               ", now: " + json::serialize(now) + ")";
    return std::nullopt;
}

ResumeSource::ResumeSource(const std::filesystem::path& targets_file,
                           const engine::JournalScan& scan, bool mutating)
    : targets_(targets_file), scan_(scan), in_doubt_(mutating && scan.damaged_lines > 0) {}

std::optional<engine::Target> ResumeSource::next() {
    while (auto target = targets_.next()) {
        if (scan_.is_final(target->seq)) continue;
        if (auto intent = scan_.open_intents.find(target->seq); intent != scan_.open_intents.end())
            target->extra["intent"] = intent->second;
        else if (in_doubt_)
            target->extra["intent"] = json::object{{"order", target->id}, {"damaged", true}};
        return target;
    }
    return std::nullopt;
}

}  // namespace rcbatch::jobs
