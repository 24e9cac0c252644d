#include "config/params.hpp"

#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"
#include "jobs/select/param_cells.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rcbatch::config {

namespace {
using jobs::ParamSpec;
using jobs::ParamType;

bool allowed(const ParamSpec& p, const std::string& v) {
    if (p.allowed.empty()) return true;
    for (std::string_view a : p.allowed)
        if (a == v) return true;
    return false;
}

std::string allowed_text(const ParamSpec& p, const std::string& got) {
    std::string list;
    for (std::string_view a : p.allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    std::string message = engine::quoted_value(got) + " is not one of " + list;
    if (std::string guess = engine::closest(got, p.allowed); !guess.empty())
        message += " (did you mean '" + guess + "'?)";
    return message;
}

// One element of a list, or a scalar. Returns nullopt after recording an error.
std::optional<ParamValue> read_scalar(const ParamSpec& p, const toml::node& n, ParamType type,
                                      TomlReader& r, const std::string& key) {
    auto fail = [&](std::string message) {
        r.error(&n, key + ": " + std::move(message));
        return std::optional<ParamValue>{};
    };
    switch (type) {
        case ParamType::integer:
        case ParamType::integer_list: {
            if (!n.is_integer())
                return fail("expected an integer" + jobs::param_range_text(p) + ", got " +
                            std::string(type_name(n)));
            const std::int64_t v = n.as_integer()->get();
            if (!jobs::param_in_range(p, static_cast<double>(v)))
                return fail("must be" + jobs::param_range_text(p) + ", got " + std::to_string(v));
            return ParamValue{v};
        }
        case ParamType::number: {
            double v = 0;
            if (n.is_floating_point())
                v = n.as_floating_point()->get();
            else if (n.is_integer())
                v = static_cast<double>(n.as_integer()->get());
            else
                return fail("expected a number, got " + std::string(type_name(n)));
            if (!jobs::param_in_range(p, v)) {
                std::ostringstream got;
                got << v;
                return fail("must be a number" + jobs::param_range_text(p) + ", got " + got.str());
            }
            return ParamValue{v};
        }
        case ParamType::boolean:
            if (!n.is_boolean())
                return fail("expected true or false, got " + std::string(type_name(n)));
            return ParamValue{n.as_boolean()->get()};
        case ParamType::string:
        case ParamType::string_list: {
            if (!n.is_string()) return fail("expected a string, got " + std::string(type_name(n)));
            std::string v = n.as_string()->get();
            if (v.empty()) return fail("must not be empty");
            if (!allowed(p, v)) return fail(allowed_text(p, v));
            return ParamValue{std::move(v)};
        }
    }
    return std::nullopt;
}

// A list parameter takes an array, or a single value as a list of one.
std::optional<ParamValue> read_list(const ParamSpec& p, const toml::node& n, TomlReader& r,
                                    const std::string& key) {
    std::vector<const toml::node*> items;
    if (const toml::array* a = n.as_array()) {
        for (const toml::node& item : *a) items.push_back(&item);
        if (items.empty()) {
            r.error(&n, key + ": the list is empty");
            return std::nullopt;
        }
    } else {
        items.push_back(&n);
    }
    if (p.max_items && items.size() > static_cast<std::size_t>(*p.max_items)) {
        r.error(&n, key + ": at most " + std::to_string(*p.max_items) + " items, got " +
                        std::to_string(items.size()));
        return std::nullopt;
    }
    std::vector<std::string> strings;
    std::vector<std::int64_t> integers;
    bool ok = true;
    for (const toml::node* item : items) {
        auto v = read_scalar(p, *item, p.type, r, key);
        if (!v) {
            ok = false;
            continue;
        }
        if (auto* s = std::get_if<std::string>(&*v)) strings.push_back(std::move(*s));
        if (auto* i = std::get_if<std::int64_t>(&*v)) integers.push_back(*i);
    }
    if (!ok) return std::nullopt;
    if (p.type == ParamType::integer_list) return ParamValue{std::move(integers)};
    return ParamValue{std::move(strings)};
}
}  // namespace

namespace {
// An action file's default for each parameter neither the job nor its target file gives.
template <class InFile>
void add_defaults(const jobs::ActionSpec& spec, const InFile& in_file, std::vector<Param>& out) {
    for (const ParamSpec& p : spec.params) {
        if (p.default_value.empty() || in_file(p.name)) continue;
        if (std::any_of(out.begin(), out.end(),
                        [&](const Param& given) { return given.name == p.name; }))
            continue;
        // Checked when the action file was read: a default reads as its parameter.
        if (auto cell = jobs::parse_cell(p, p.default_value); cell.value)
            out.push_back({std::string(p.name), std::move(*cell.value)});
    }
}
}  // namespace

std::vector<Param> read_params(const jobs::ActionSpec& spec, const toml::table* params,
                               TomlReader& job_root, const std::vector<std::string>& from_file) {
    auto in_file = [&](std::string_view name) {
        return std::find(from_file.begin(), from_file.end(), name) != from_file.end();
    };
    std::vector<Param> out;
    std::vector<std::string_view> names;
    for (const ParamSpec& p : spec.params) names.push_back(p.name);

    if (!params) {
        for (const ParamSpec& p : spec.params)
            if (p.required && !in_file(p.name))
                job_root.error(nullptr, "missing [params] table: action '" +
                                            std::string(spec.name) + "' needs '" +
                                            std::string(p.name) + "'");
        add_defaults(spec, in_file, out);
        return out;
    }
    TomlReader r(*params, job_root.file(), "params", job_root.diagnostics());
    r.allow_only(names);
    for (const ParamSpec& p : spec.params) {
        const toml::node* n = r.node(p.name);
        if (!n) {
            if (p.required && !in_file(p.name))
                r.error(nullptr, "missing required parameter 'params." + std::string(p.name) +
                                     "' of action '" + std::string(spec.name) + "'");
            continue;
        }
        const std::string key = r.qualified(p.name);
        const bool list = p.type == ParamType::string_list || p.type == ParamType::integer_list;
        auto v = list ? read_list(p, *n, r, key) : read_scalar(p, *n, p.type, r, key);
        if (v) out.push_back({std::string(p.name), std::move(*v)});
    }
    add_defaults(spec, in_file, out);
    return out;
}

}  // namespace rcbatch::config
