#include "jobs/run_reports.hpp"

#include "engine/junit_report.hpp"
#include "engine/private_file.hpp"
#include "engine/report_writer.hpp"
#include "engine/result_record.hpp"
#include "jobs/charge_summary.hpp"
#include "jobs/json_lines.hpp"
#include "jobs/run_folder_files.hpp"
#include "jobs/text_fields.hpp"

#include <cerrno>
#include <cstring>
#include <functional>

namespace rcbatch::jobs {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Each line of `path` that is a JSON object (and, with `type`, has that "type"), in order.
// Returns the lines that could not be read. Throws ReportError when the file cannot be opened.
std::uint64_t for_each_object(const fs::path& path, std::string_view type,
                              const std::function<void(const json::object&)>& fn) {
    const JsonLinesRead read = for_each_json_line(path, [&](JsonLine& line) {
        if (!line.object) return;
        if (!type.empty()) {
            const json::value* t = line.object->if_contains("type");
            if (!t || !t->is_string() || t->get_string() != type) return;
        }
        fn(*line.object);
    });
    if (!read.opened)
        throw engine::ReportError("cannot read " + path.string() + ": " + std::strerror(errno));
    if (read.failed) throw engine::ReportError("cannot read " + path.string());
    return read.damaged;
}

json::object read_summary(const RunFolder& folder) {
    SummaryRead read = folder.read_summary();
    if (!read.opened)
        throw engine::ReportError(
            "cannot read " + folder.summary().string() +
            " (a run still going on, or one that died: rcbatch report rebuilds it)");
    if (!read.object) throw engine::ReportError(read.error);
    return std::move(*read.object);
}

// A report file written to "<name>.tmp" and renamed over <name> by commit().
class ReportFile {
  public:
    explicit ReportFile(fs::path path) : path_(std::move(path)), tmp_(path_.string() + ".tmp") {
        file_ = engine::open_private_file(tmp_, "wb");
        if (file_ == nullptr) fail("cannot open", tmp_, errno);
    }
    ~ReportFile() {
        if (file_ != nullptr) std::fclose(file_);
        if (!committed_) {
            std::error_code ignored;
            fs::remove(tmp_, ignored);
        }
    }
    ReportFile(const ReportFile&) = delete;
    ReportFile& operator=(const ReportFile&) = delete;

    void put(std::string_view text) {
        if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
            fail("cannot write", tmp_, errno);
    }
    void commit() {
        const int rc = std::fclose(file_);
        file_ = nullptr;
        if (rc != 0) fail("cannot write", tmp_, errno);
        std::error_code ec;
        fs::rename(tmp_, path_, ec);
        if (ec) throw engine::ReportError("cannot write " + path_.string() + ": " + ec.message());
        committed_ = true;
    }

  private:
    [[noreturn]] static void fail(std::string_view what, const fs::path& p, int err) {
        throw engine::ReportError(std::string(what) + " " + p.string() + ": " +
                                  std::strerror(err ? err : EIO));
    }
    fs::path path_, tmp_;
    std::FILE* file_ = nullptr;
    bool committed_ = false;
};

// The money as summary.json has it (one typed figure: charge_summary.hpp), each order's
// charge from its record.
engine::HtmlMoney money_shown(const json::object& summary) {
    engine::HtmlMoney money;
    if (std::string estimate = string_field(summary, "estimate_text"); !estimate.empty())
        money.facts.emplace_back("estimate", estimate);
    if (auto charged = ChargeSummary::from_summary(summary)) {
        for (auto& fact : charged->facts()) money.facts.push_back(std::move(fact));
        money.charge = [](const engine::OrderResult& r) { return charge_text(record_charge(r)); };
    }
    return money;
}

// The money as one JUnit property.
std::vector<std::pair<std::string, std::string>> money_properties(const json::object& summary) {
    if (auto charged = ChargeSummary::from_summary(summary)) return {{"charged", charged->text()}};
    return {};
}

}  // namespace

RunReportFiles write_run_reports(const fs::path& dir, engine::HtmlLimits limits) {
    const RunFolder folder(dir);
    const json::object summary = read_summary(folder);
    const bool plan = !fs::exists(folder.results()) && fs::exists(folder.plan());
    const fs::path records = folder.records(plan);
    const fs::path journal = folder.journal();
    const bool timeline_from_journal = !plan && fs::exists(journal);

    engine::ReportStats stats;
    engine::Timeline timeline;
    RunReportFiles files;
    files.damaged_lines = for_each_object(records, {}, [&](const json::object& o) {
        const engine::OrderResult r = engine::from_json(o);
        stats.add(r);
        if (!timeline_from_journal) timeline.add(r.started, r.attempts, r.retries);
    });
    files.records = stats.orders;
    if (timeline_from_journal)  // its result lines carry each order's retries; results.jsonl does
                                // not
        for_each_object(journal, "result", [&](const json::object& o) {
            const engine::OrderResult r = engine::from_json(o);
            timeline.add(r.started, r.attempts, r.retries);
        });

    files.html = folder.html();
    ReportFile html(files.html);
    const engine::HtmlMoney money = money_shown(summary);
    html.put(engine::html_head(summary, stats, timeline.bins(60), money));
    std::optional<ReportFile> junit;
    if (!plan) {
        files.junit = folder.junit();
        junit.emplace(files.junit);
        junit->put(engine::junit_head(summary, stats, money_properties(summary)));
    }
    engine::HtmlTable table(stats, limits, money.charge);
    for_each_object(records, {}, [&](const json::object& o) {
        const engine::OrderResult r = engine::from_json(o);
        table.add(r);
        if (junit) junit->put(engine::junit_testcase(r));
    });
    table.render([&html](std::string_view piece) { html.put(piece); });
    html.put(engine::html_tail());
    html.commit();
    if (junit) {
        junit->put(engine::junit_tail());
        junit->commit();
    }
    return files;
}

std::optional<std::string> try_write_run_reports(const fs::path& dir) noexcept {
    try {
        write_run_reports(dir);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string("cannot write the HTML and JUnit reports: ") + e.what();
    }
}

}  // namespace rcbatch::jobs
