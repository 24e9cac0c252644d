#include "jobs/select/target_sources.hpp"

#include "engine/text/display_text.hpp"

namespace rcbatch::jobs {

std::optional<engine::Target> OrderIdSource::next() {
    if (at_ == ids_.size()) return std::nullopt;
    engine::Target t;
    t.seq = at_;
    t.id = std::to_string(ids_[at_++]);
    t.given = t.id;
    return t;
}

std::optional<engine::Target> DomainNameSource::next() {
    if (at_ == names_.size()) return std::nullopt;
    engine::Target t;
    t.seq = at_;
    t.given = names_[at_++];
    return t;
}

FileSource::FileSource(const std::string& path, bool names_allowed, ColumnRules rules)
    : reader_(path), names_allowed_(names_allowed), rules_(std::move(rules)) {}

namespace {
// The line's own parameters and kept columns into `t.extra`; the first problem, if any.
std::string take_cells(const ColumnRules& rules, const TargetLine& line, engine::Target& t) {
    if (!rules.spec) return {};
    LineParams own = line_params(rules, line.cells);
    if (!own.unknown.empty())
        return "column " + engine::quoted_value(own.unknown.front()) +
               " is neither a parameter nor kept";
    if (!own.problems.empty())
        return "column " + std::to_string(own.problems.front().col) + ": " +
               own.problems.front().message;
    if (!own.params.empty()) {
        boost::json::object params;
        for (const CallParam& p : own.params) params[p.name] = param_json(p.value);
        t.extra["params"] = std::move(params);
    }
    if (!own.kept.empty()) {
        boost::json::object keep;
        for (const auto& [name, text] : own.kept) keep[name] = text;
        t.extra["keep"] = std::move(keep);
    }
    return {};
}
}  // namespace

std::optional<engine::Target> FileSource::next() {
    auto line = reader_.next();
    if (!line) return std::nullopt;
    engine::Target t;
    t.seq = seq_++;
    t.given = line->given;
    if (line->order_id) t.id = std::to_string(*line->order_id);
    std::string error = line->error;
    if (error.empty() && !line->order_id && !names_allowed_)
        error =
            engine::quoted_value(line->given) + " is not an order id (this action takes order ids)";
    if (error.empty()) error = take_cells(rules_, *line, t);
    if (!error.empty())
        t.extra["error"] = "line " + std::to_string(line->line) + ": " + error;
    else
        t.extra["line"] = line->line;
    return t;
}

}  // namespace rcbatch::jobs
