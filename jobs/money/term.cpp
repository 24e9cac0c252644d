#include "jobs/money/term.hpp"

#include "jobs/api/text_fields.hpp"
#include "jobs/select/param_cells.hpp"

namespace rcbatch::jobs {

namespace {
// "12 months", "1 month".
std::string text_of(const std::string& n, std::string_view unit) {
    if (n == "1") unit.remove_suffix(1);
    return n + " " + std::string(unit);
}
}  // namespace

bool takes_term(const ActionSpec& spec) {
    for (const TermUnit& unit : term_units)
        if (find_param(spec, unit.param)) return true;
    return false;
}

std::optional<std::int64_t> term_months(const std::vector<CallParam>& params) {
    for (const TermUnit& unit : term_units)
        if (auto n = integer_param(params, unit.param)) return *n * unit.months;
    return std::nullopt;
}

std::string term_text(const std::vector<CallParam>& params) {
    for (const TermUnit& unit : term_units)
        if (auto n = integer_param(params, unit.param))
            return text_of(std::to_string(*n), unit.param);
    return {};
}

std::string reply_term_text(const boost::json::object& fields) {
    for (const TermUnit& unit : term_units) {
        const auto* v = fields.if_contains(unit.param);
        if (!v) continue;
        const std::string n =
            v->is_int64() ? std::to_string(v->get_int64()) : string_field(fields, unit.param);
        if (!n.empty()) return text_of(n, unit.param);
    }
    return {};
}

}  // namespace rcbatch::jobs
