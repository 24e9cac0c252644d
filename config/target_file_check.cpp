#include "config/target_file_check.hpp"

#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"
#include "jobs/select/param_cells.hpp"
#include "jobs/select/repeated_targets.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <set>

namespace rcbatch::config {

namespace {
constexpr int max_file_errors = 20;

// Collects the file's diagnostics, up to the cap, and counts the rest.
class FileProblems {
  public:
    FileProblems(Diagnostics& out, std::string file) : out_(out), file_(std::move(file)) {}
    void add(int line, int col, std::string message) {
        if (++count_ <= max_file_errors) out_.push_back({file_, line, col, std::move(message)});
    }
    void finish() {
        if (count_ <= max_file_errors) return;
        const int more = count_ - max_file_errors;
        out_.push_back({file_, 0, 0,
                        std::to_string(more) + (more == 1 ? " more bad line" : " more bad lines")});
    }
    int count() const noexcept { return count_; }

  private:
    Diagnostics& out_;
    std::string file_;
    int count_ = 0;
};

std::string unknown_column(const Job& job, const std::string& name) {
    std::vector<std::string_view> names{"order-id", "domain-name"};
    for (const jobs::ParamSpec& p : job.action->params) names.push_back(p.name);
    std::string message = "column '" + name + "' is neither a parameter of " +
                          std::string(job.action->name) + " nor in [targets] keep-columns";
    if (std::string guess = engine::closest(name, names); !guess.empty())
        message += " (did you mean '" + guess + "'?)";
    return message;
}

jobs::ColumnRules rules_of(const Job& job) {
    jobs::ColumnRules rules;
    rules.spec = job.action;
    rules.keep = job.targets.keep_columns;
    for (const Param& p : job.params) rules.defaults.push_back(p.name);
    return rules;
}

// A line naming an order an earlier line named: a duplicate (skipped when the run comes to it)
// when it gives the same parameters, a problem at its first differing cell when not.
void check_repeated(const jobs::TargetLine& line, const jobs::LineParams& own,
                    jobs::RepeatedTargets& seen, FileProblems& problems) {
    boost::json::object params;
    for (const jobs::CallParam& p : own.params) params[p.name] = jobs::param_json(p.value);
    const std::string key =
        jobs::order_key(line.order_id ? std::to_string(*line.order_id) : "", line.given);
    const jobs::RepeatedTargets::Verdict v =
        seen.see(key, "line " + std::to_string(line.line), params);
    if (!v.first || v.conflict.empty()) return;
    int col = 1;
    for (const jobs::TargetCell& c : line.cells)
        if (col == 1 && v.conflict.starts_with(c.column + ":")) col = c.col;
    problems.add(line.line, col,
                 "the order of " + *v.first + " again, with other parameters (" + v.conflict +
                     "): which would it get? Give it one line");
}

// One target line: its id, then its cells. Unknown columns are reported once, where first seen.
void check_line(const Job& job, const jobs::ColumnRules& rules, const jobs::TargetLine& line,
                std::set<std::string>& reported, jobs::RepeatedTargets& seen,
                FileProblems& problems) {
    std::string problem = line.error;
    if (problem.empty() && !line.order_id && job.action->targets != jobs::TargetKind::domain_order)
        problem =
            engine::quoted_value(line.given) + " is not an order id (this action takes order ids)";
    if (!problem.empty()) problems.add(line.line, line.error.empty() ? 1 : line.error_col, problem);
    if (!line.error.empty() && line.cells.empty()) return;  // nothing else can be read
    jobs::LineParams own = jobs::line_params(rules, line.cells);
    if (problem.empty() && own.problems.empty() && own.unknown.empty())
        check_repeated(line, own, seen, problems);
    for (const std::string& name : own.unknown)
        if (reported.insert(name).second) {
            int col = 1;
            for (const jobs::TargetCell& c : line.cells)
                if (c.column == name) col = c.col;
            problems.add(line.line, col, unknown_column(job, name));
        }
    for (const jobs::CellProblem& p : own.problems) problems.add(line.line, p.col, p.message);
}
}  // namespace

std::vector<std::string> target_file_columns(const std::filesystem::path& file) {
    std::vector<std::string> out;
    try {
        jobs::TargetFileReader reader(file.string());
        auto first = reader.next();
        for (const jobs::TargetColumn& c : reader.columns()) out.push_back(c.name);
        if (reader.header_line() == 0 && first)
            for (const jobs::TargetCell& c : first->cells) out.push_back(c.column);
    } catch (const std::runtime_error&) {
        // check_target_file reports it
    }
    return out;
}

void check_target_file(const Job& job, const toml::table& targets, TomlReader& root,
                       const jobs::SeenKeysMaker& seen_keys) {
    TomlReader r(targets, root.file(), "targets", root.diagnostics());
    const std::string file = job.targets.file.string();
    FileProblems problems(root.diagnostics(), file);
    const jobs::ColumnRules rules = rules_of(job);
    std::set<std::string> reported;
    int count = 0;
    try {
        jobs::RepeatedTargets seen(seen_keys());
        jobs::TargetFileReader reader(file);
        bool header_seen = false;
        while (auto line = reader.next()) {
            ++count;
            if (!reader.header_problem().empty()) {
                problems.add(reader.header_line(), reader.header_problem_col(),
                             reader.header_problem());
                break;
            }
            if (!header_seen) {
                header_seen = true;
                for (const jobs::TargetColumn& c : reader.columns())
                    if (!jobs::find_param(*job.action, c.name) &&
                        std::find(rules.keep.begin(), rules.keep.end(), c.name) ==
                            rules.keep.end() &&
                        reported.insert(c.name).second)
                        problems.add(reader.header_line(), c.col, unknown_column(job, c.name));
            }
            check_line(job, rules, *line, reported, seen, problems);
        }
    } catch (const std::runtime_error& e) {  // the index of repeated orders too
        r.error_at_key("file", e.what());
        return;
    }
    problems.finish();
    if (count == 0 && problems.count() == 0)
        r.error_at_key("file", "'" + file + "' names no orders");
}

std::vector<std::int64_t> read_exclude_file(const std::filesystem::path& file, TomlReader& r) {
    std::vector<std::int64_t> ids;
    FileProblems problems(r.diagnostics(), file.string());
    try {
        jobs::TargetFileReader reader(file.string());
        while (auto line = reader.next()) {
            if (!line->error.empty())
                problems.add(line->line, 1, line->error);
            else if (!line->order_id)
                problems.add(line->line, 1,
                             "'" + line->given +
                                 "' is not an order id (exclude-file names orders "
                                 "by id, one a line or in an order-id column)");
            else
                ids.push_back(*line->order_id);
        }
    } catch (const std::runtime_error& e) {
        r.error_at_key("exclude-file", e.what());
        return {};
    }
    problems.finish();
    return ids;
}

}  // namespace rcbatch::config
