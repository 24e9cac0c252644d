#include "jobs/actions/param_declarations.hpp"

#include "engine/text/display_text.hpp"
#include "jobs/actions/declared_action.hpp"
#include "jobs/select/param_cells.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace rcbatch::jobs {

using engine::TomlReader;

namespace {

const std::vector<std::string_view> param_keys{"type", "required",  "description", "allowed", "min",
                                               "max",  "max-items", "default",     "in-path"};

void read_default(TomlReader& pr, DeclaredParam& p, const toml::node& def) {
    if (p.required) pr.error_at_key("default", "a required parameter has no default");
    const bool ok =
        (p.type == ParamType::boolean && def.is_boolean()) ||
        (p.type == ParamType::integer && def.is_integer()) ||
        (p.type == ParamType::number && (def.is_integer() || def.is_floating_point())) ||
        (p.type == ParamType::string && def.is_string());
    if (!ok) {
        pr.error_at_key("default", "expected a default of the parameter's type (" +
                                       std::string(to_string(p.type)) + "), got " +
                                       std::string(engine::type_name(def)));
        return;
    }
    std::ostringstream text;
    if (def.is_boolean()) text << (def.as_boolean()->get() ? "true" : "false");
    if (def.is_integer()) text << def.as_integer()->get();
    if (def.is_floating_point()) text << def.as_floating_point()->get();
    if (def.is_string()) text << def.as_string()->get();
    p.default_value = text.str();
    if (p.default_value.empty()) pr.error_at_key("default", "must not be empty");
    // The default is a value a job could give: in range, one of the allowed.
    else if (CellValue cell = parse_cell(param_spec(p), p.default_value); !cell.value)
        pr.error_at_key("default", cell.error);
}

void read_in_path(TomlReader& pr, DeclaredParam& p, const toml::table& t) {
    if (p.type != ParamType::boolean) {
        pr.error_at_key("in-path",
                        "only a boolean picks a path (in-path = { true = "
                        "\"enable\", false = \"disable\" })");
        return;
    }
    if (!p.required) {
        pr.error_at_key("in-path", "a parameter that picks the path is required");
        return;
    }
    TomlReader ir(t, pr.file(), pr.qualified("in-path"), pr.diagnostics());
    ir.allow_only({"true", "false"});
    for (const char* key : {"true", "false"}) {
        auto text = ir.string(key, true);
        if (!text) continue;
        if (text->empty() || !std::all_of(text->begin(), text->end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
            }))
            ir.error_at_key(key, "letters, digits, '-' or '_' only");
        p.in_path.emplace_back(key, *text);
    }
}

DeclaredParam read_param(TomlReader& root, const std::string& name, const toml::table& t,
                         const std::string& id_param) {
    TomlReader pr(t, root.file(), "params." + name, root.diagnostics());
    pr.allow_only(param_keys);
    DeclaredParam p;
    p.name = name;
    if (!valid_action_name("x." + name) || name == "auth-userid" || name == "api-key" ||
        name == id_param)
        pr.error(nullptr, "params." + name +
                              ": not a parameter name a job may set (lower-case letters, "
                              "digits and '-'; not auth-userid, api-key or the id-param)");
    p.type = pick_word<ParamType>(pr, "type", true,
                                  {{"integer", ParamType::integer},
                                   {"number", ParamType::number},
                                   {"boolean", ParamType::boolean},
                                   {"string", ParamType::string},
                                   {"string-list", ParamType::string_list},
                                   {"integer-list", ParamType::integer_list}})
                 .value_or(ParamType::string);
    p.required = pr.boolean("required", false).value_or(false);
    p.description = pr.string("description", true).value_or("");
    const bool is_list = p.type == ParamType::string_list || p.type == ParamType::integer_list;
    const bool is_text = p.type == ParamType::string || p.type == ParamType::string_list;
    const bool is_number = !is_text && p.type != ParamType::boolean;
    if (auto allowed = string_list(pr, "allowed")) {
        if (!is_text)
            pr.error_at_key("allowed",
                            "only a string or a list of strings has "
                            "allowed values");
        p.allowed = std::move(*allowed);
    }
    p.min = pr.number("min", false, -1e15, 1e15);
    p.max = pr.number("max", false, -1e15, 1e15);
    if ((p.min || p.max) && !is_number)
        pr.error_at_key(p.min ? "min" : "max", "only a number or a list of integers has a range");
    if (p.min && p.max && *p.min > *p.max) pr.error_at_key("max", "is below min");
    if (auto items = pr.integer("max-items", false, 1, 1000)) {
        if (!is_list) pr.error_at_key("max-items", "only a list has a number of items");
        p.max_items = static_cast<int>(*items);
    }
    if (const toml::table* in_path = pr.table("in-path", false)) read_in_path(pr, p, *in_path);
    if (const toml::node* def = pr.node("default")) read_default(pr, p, *def);
    return p;
}

}  // namespace

std::optional<std::vector<std::string>> string_list(TomlReader& r, std::string_view key,
                                                    bool one_allowed) {
    const toml::node* n = r.node(key);
    if (!n) return std::nullopt;
    std::vector<std::string> out;
    if (one_allowed && n->is_string()) return std::vector<std::string>{n->as_string()->get()};
    const toml::array* a = n->as_array();
    if (!a) {
        r.error_at_key(key,
                       "expected a list of strings, got " + std::string(engine::type_name(*n)));
        return std::nullopt;
    }
    for (const toml::node& item : *a) {
        if (!item.is_string() || item.as_string()->get().empty()) {
            r.error(&item, r.qualified(key) + ": every item is a non-empty string");
            return std::nullopt;
        }
        out.push_back(item.as_string()->get());
    }
    return out;
}

std::vector<DeclaredParam> read_declared_params(TomlReader& root, const std::string& id_param) {
    std::vector<DeclaredParam> out;
    const toml::table* params = root.table("params", false);
    if (!params) return out;
    // In the order the file writes them: `rcbatch actions` lists them so.
    std::vector<std::pair<const toml::key*, const toml::node*>> ordered;
    for (auto&& [key, value] : *params) ordered.emplace_back(&key, &value);
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return a.first->source().begin < b.first->source().begin;
    });
    for (const auto& [key, value] : ordered) {
        const std::string name(key->str());
        TomlReader pr(*params, root.file(), "params", root.diagnostics());
        if (!value->is_table()) {
            pr.error_at_key(name, "expected a table ([params." + name + "]), got " +
                                      std::string(engine::type_name(*value)));
            continue;
        }
        out.push_back(read_param(root, name, *value->as_table(), id_param));
    }
    return out;
}

}  // namespace rcbatch::jobs
