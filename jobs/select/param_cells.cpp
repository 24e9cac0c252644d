#include "jobs/select/param_cells.hpp"

#include "engine/text/ascii_case.hpp"
#include "engine/text/display_text.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace rcbatch::jobs {

namespace {
CellValue bad(std::string why) { return {std::nullopt, std::move(why)}; }

CellValue integer_cell(const ParamSpec& p, std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return bad("expected a whole number" + param_range_text(p) + ", got '" + std::string(text) +
                   "'");
    if (!param_in_range(p, static_cast<double>(v)))
        return bad("must be" + param_range_text(p) + ", got " + std::string(text));
    return {ParamValue{v}, {}};
}

CellValue number_cell(const ParamSpec& p, std::string_view text) {
    double v = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        return bad("expected a number" + param_range_text(p) + ", got " +
                   engine::quoted_value(text));
    if (!param_in_range(p, v))
        return bad("must be a number" + param_range_text(p) + ", got " + std::string(text));
    return {ParamValue{v}, {}};
}

CellValue string_cell(const ParamSpec& p, std::string_view text) {
    if (p.allowed.empty() || std::find(p.allowed.begin(), p.allowed.end(), text) != p.allowed.end())
        return {ParamValue{std::string(text)}, {}};
    std::string list;
    for (std::string_view a : p.allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    for (std::string_view a : p.allowed)
        if (engine::ascii_lower(a) == engine::ascii_lower(text))
            return bad(engine::quoted_value(text) + " is not one of " + list + " (did you mean '" +
                       std::string(a) + "'?)");
    return bad(engine::quoted_value(text) + " is not one of " + list);
}

std::vector<std::string_view> split_list(std::string_view text) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto semi = text.find(';');
        std::string_view item = text.substr(0, semi);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.push_back(item);
        if (semi == std::string_view::npos) return out;
        text.remove_prefix(semi + 1);
    }
}

CellValue list_cell(const ParamSpec& p, std::string_view text) {
    std::vector<std::string> strings;
    std::vector<std::int64_t> integers;
    const auto items = split_list(text);
    if (p.max_items && items.size() > static_cast<std::size_t>(*p.max_items))
        return {std::nullopt, "at most " + std::to_string(*p.max_items) + " items, got " +
                                  std::to_string(items.size())};
    for (std::string_view item : items) {
        CellValue one =
            p.type == ParamType::integer_list ? integer_cell(p, item) : string_cell(p, item);
        if (!one.value) return one;
        if (auto* i = std::get_if<std::int64_t>(&*one.value)) integers.push_back(*i);
        if (auto* s = std::get_if<std::string>(&*one.value)) strings.push_back(std::move(*s));
    }
    if (p.type == ParamType::integer_list) return {ParamValue{std::move(integers)}, {}};
    return {ParamValue{std::move(strings)}, {}};
}
}  // namespace

std::string param_range_text(const ParamSpec& p) {
    std::ostringstream out;
    if (p.min && p.max)
        out << " from " << *p.min << " to " << *p.max;
    else if (p.min)
        out << " at least " << *p.min;
    return out.str();
}

bool param_in_range(const ParamSpec& p, double v) {
    return std::isfinite(v) && (!p.min || v >= *p.min) && (!p.max || v <= *p.max);
}

CellValue parse_cell(const ParamSpec& p, std::string_view text) {
    switch (p.type) {
        case ParamType::integer:
            return integer_cell(p, text);
        case ParamType::number:
            return number_cell(p, text);
        case ParamType::boolean: {
            const std::string v = engine::ascii_lower(text);
            if (v == "true" || v == "false") return {ParamValue{v == "true"}, {}};
            return bad("expected true or false, got " + engine::quoted_value(text));
        }
        case ParamType::string:
            return string_cell(p, text);
        case ParamType::string_list:
        case ParamType::integer_list:
            return list_cell(p, text);
    }
    return bad("unsupported parameter type");
}

LineParams line_params(const ColumnRules& rules, const std::vector<TargetCell>& cells) {
    LineParams out;
    auto named = [](const std::vector<std::string>& list, std::string_view name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    for (const TargetCell& cell : cells) {
        const ParamSpec* p = rules.spec ? find_param(*rules.spec, cell.column) : nullptr;
        if (!p) {
            if (named(rules.keep, cell.column))
                out.kept.emplace_back(cell.column, cell.text);
            else
                out.unknown.push_back(cell.column);
            continue;
        }
        if (cell.text.empty()) continue;
        CellValue v = parse_cell(*p, cell.text);
        if (v.value)
            out.params.push_back({std::string(p->name), std::move(*v.value)});
        else
            out.problems.push_back({cell.col, std::string(p->name) + ": " + v.error});
    }
    if (!rules.spec) return out;
    for (const ParamSpec& p : rules.spec->params) {
        if (!p.required || named(rules.defaults, p.name)) continue;
        if (std::any_of(out.params.begin(), out.params.end(),
                        [&](const CallParam& c) { return c.name == p.name; }))
            continue;
        auto cell = std::find_if(cells.begin(), cells.end(),
                                 [&](const TargetCell& c) { return c.column == p.name; });
        if (cell != cells.end() && !cell->text.empty())
            continue;  // its bad value is reported above
        out.problems.push_back(
            {cell == cells.end() ? 1 : cell->col,
             std::string(p.name) + ": required, and neither this line nor [params] gives a value"});
    }
    return out;
}

const ParamSpec* find_param(const ActionSpec& spec, std::string_view name) {
    for (const ParamSpec& p : spec.params)
        if (p.name == name) return &p;
    return nullptr;
}

boost::json::value param_json(const ParamValue& value) {
    return std::visit([](const auto& v) { return boost::json::value_from(v); }, value);
}

std::optional<ParamValue> param_from_json(const boost::json::value& v) {
    if (v.is_int64()) return ParamValue{v.get_int64()};
    if (v.is_uint64()) return ParamValue{static_cast<std::int64_t>(v.get_uint64())};
    if (v.is_double()) return ParamValue{v.get_double()};
    if (v.is_bool()) return ParamValue{v.get_bool()};
    if (v.is_string()) return ParamValue{std::string(v.get_string())};
    const boost::json::array* a = v.if_array();
    if (!a) return std::nullopt;
    std::vector<std::string> strings;
    std::vector<std::int64_t> integers;
    for (const boost::json::value& item : *a) {
        if (item.is_string())
            strings.emplace_back(item.get_string());
        else if (item.is_int64())
            integers.push_back(item.get_int64());
        else
            return std::nullopt;
    }
    if (!strings.empty() && !integers.empty()) return std::nullopt;
    if (!integers.empty()) return ParamValue{std::move(integers)};
    return ParamValue{std::move(strings)};
}

std::string param_text(const ParamValue& value) {
    struct Text {
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return std::isfinite(v) ? format_number(v) : "?"; }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(const std::string& v) const { return v; }
        std::string operator()(const std::vector<std::string>& v) const {
            std::string out;
            for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
            return out;
        }
        std::string operator()(const std::vector<std::int64_t>& v) const {
            std::string out;
            for (auto i : v) out += (out.empty() ? "" : ";") + std::to_string(i);
            return out;
        }
    };
    return std::visit(Text{}, value);
}

std::string params_key(const boost::json::object& params) {
    std::vector<std::pair<std::string_view, const boost::json::value*>> sorted;
    for (const auto& [name, value] : params) sorted.emplace_back(name, &value);
    std::sort(sorted.begin(), sorted.end());
    boost::json::object out;
    for (const auto& [name, value] : sorted) out[name] = *value;
    return boost::json::serialize(out);
}

std::string shown_value(const boost::json::value* v) {
    if (!v) return "(none)";
    if (v->is_string()) return std::string(v->get_string());
    return boost::json::serialize(*v);
}

std::vector<std::string> param_differences(const boost::json::object& a, std::string_view a_name,
                                           const boost::json::object& b, std::string_view b_name) {
    std::vector<std::string> out;
    const auto differs = [&](std::string_view name, const boost::json::value* in_a,
                             const boost::json::value* in_b) {
        out.push_back(std::string(name) + ": " + std::string(a_name) + " " + shown_value(in_a) +
                      ", " + std::string(b_name) + " " + shown_value(in_b));
    };
    for (const auto& [name, value] : a)
        if (const auto* v = b.if_contains(name); !v || *v != value) differs(name, &value, v);
    for (const auto& [name, value] : b)
        if (!a.contains(name)) differs(name, nullptr, &value);
    return out;
}

std::vector<CallParam> merged_params(const std::vector<CallParam>& job,
                                     const std::vector<CallParam>& own) {
    std::vector<CallParam> out = job;
    for (const CallParam& p : own) {
        auto at = std::find_if(out.begin(), out.end(),
                               [&](const CallParam& q) { return q.name == p.name; });
        if (at != out.end())
            at->value = p.value;
        else
            out.push_back(p);
    }
    return out;
}

}  // namespace rcbatch::jobs
