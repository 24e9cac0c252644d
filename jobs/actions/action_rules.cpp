#include "jobs/actions/action_rules.hpp"

#include "jobs/actions/text_template.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/term.hpp"
#include "jobs/order/preflight.hpp"

#include <algorithm>
#include <cctype>

namespace rcbatch::jobs {

namespace {

bool field_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

bool plain_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), field_char);
}

std::string scalar_text(const boost::json::value& v) {
    if (const auto* s = v.if_string()) return std::string(*s);
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    return "";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::vector<std::string> items_of(std::string_view text) {
    std::vector<std::string> out;
    for (;;) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.push_back(ascii_lower(item));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string value_text(const ParamValue& v) {
    struct Text {
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return format_number(d); }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::vector<std::string>& l) const { return joined(l); }
        std::string operator()(const std::vector<std::int64_t>& l) const {
            std::vector<std::string> items;
            for (std::int64_t i : l) items.push_back(std::to_string(i));
            return joined(items);
        }
    };
    return std::visit(Text{}, v);
}

// A template's names: a parameter first, then a value the rule gives, then a field.
TemplateLookup lookup_in(const std::vector<CallParam>& params,
                         const std::vector<std::pair<std::string, std::string>>& given,
                         const std::function<std::string(const FieldRef&)>& field,
                         const std::function<std::string(const FieldRef&)>& name) {
    return [&params, &given, field, name](std::string_view key) -> std::optional<TemplateValue> {
        if (auto p = param_text(params, key)) return TemplateValue{*p, std::string(key)};
        for (const auto& [k, v] : given)
            if (k == key) return TemplateValue{v, k};
        return TemplateValue{field(std::string(key)), name(std::string(key))};
    };
}

std::string reason_text(const std::vector<CallParam>& params, const boost::json::object& details,
                        const PreflightOptions& options,
                        const std::vector<std::pair<std::string, std::string>>& given,
                        const std::string& text) {
    std::string error;
    auto t = parse_template(text, error);
    if (!t) return text;
    return render(
        *t,
        lookup_in(
            params, given, [&](const FieldRef& ref) { return field_text(details, ref, options); },
            [&](const FieldRef& ref) { return field_name(ref, options); }),
        term_months(params));
}

bool holds(const OrderRule& rule, const boost::json::object& details,
           const PreflightOptions& options, const std::vector<CallParam>& params) {
    auto one_of = [&](const FieldRef& ref) {
        const std::string v = field_text(details, ref, options);
        return std::find(rule.values.begin(), rule.values.end(), v) != rule.values.end();
    };
    switch (rule.kind) {
        case OrderRule::Kind::unless_in:
            return !one_of(rule.fields.front());
        case OrderRule::Kind::when_in:
            return one_of(rule.fields.front());
        case OrderRule::Kind::when_equals: {
            auto wanted = param_text(params, rule.param);
            return wanted && same_value(field_text(details, rule.fields.front(), options), *wanted,
                                        rule.as_set);
        }
        case OrderRule::Kind::when_empty:
            return std::all_of(rule.fields.begin(), rule.fields.end(), [&](const FieldRef& f) {
                return field_text(details, f, options).empty();
            });
        case OrderRule::Kind::unless_any_in:
            return std::none_of(rule.fields.begin(), rule.fields.end(), one_of);
        case OrderRule::Kind::expires_within:
        case OrderRule::Kind::since_last:
            return false;  // judged with the clock in judge_rules
    }
    return false;
}

}  // namespace

const std::vector<std::string_view>& field_settings() {
    static const std::vector<std::string_view> list{"email-verification-field",
                                                    "ekyc-verification-field"};
    return list;
}

bool valid_field_ref(std::string_view ref, std::string& error) {
    if (ref.starts_with('@')) {
        const auto& known = field_settings();
        if (std::find(known.begin(), known.end(), ref.substr(1)) != known.end()) return true;
        error = "unknown setting '" + std::string(ref) +
                "' (@email-verification-field, @ekyc-verification-field)";
        return false;
    }
    if (ref.ends_with('*')) ref.remove_suffix(1);
    if (auto open = ref.find('['); open != std::string_view::npos) {
        if (!ref.ends_with(']') || !plain_name(ref.substr(0, open)) ||
            !plain_name(ref.substr(open + 1, ref.size() - open - 2))) {
            error = "'" + std::string(ref) + "' is no field: write NAME[VALUE]";
            return false;
        }
        return true;
    }
    if (plain_name(ref)) return true;
    error = "'" + std::string(ref) +
            "' is no field: letters, digits, '-', '_' or '.', then '*' or [VALUE] at most";
    return false;
}

std::string field_name(const FieldRef& ref, const PreflightOptions& options) {
    if (ref == "@email-verification-field") return options.email_field;
    if (ref == "@ekyc-verification-field") return options.ekyc_field;
    return ref;
}

std::vector<std::string> field_values(const boost::json::object& details, const FieldRef& ref,
                                      const PreflightOptions& options) {
    std::vector<std::string> out;
    const std::string name = field_name(ref, options);
    if (name.ends_with('*')) {
        // ns1, ns2, ...: every member named the prefix and a number, in number order.
        const std::string prefix = name.substr(0, name.size() - 1);
        std::vector<std::pair<std::int64_t, std::string>> numbered;
        for (const auto& [key, value] : details) {
            if (!key.starts_with(prefix)) continue;
            auto n = parse_whole(key.substr(prefix.size()));
            std::string text = scalar_text(value);
            if (n && !text.empty()) numbered.emplace_back(*n, std::move(text));
        }
        std::sort(numbered.begin(), numbered.end());
        for (auto& [n, text] : numbered) out.push_back(std::move(text));
        return out;
    }
    if (auto open = name.find('['); open != std::string::npos) {
        const std::string wanted = name.substr(open + 1, name.size() - open - 2);
        bool found = false;
        if (const auto* v = details.if_contains(name.substr(0, open))) {
            if (const auto* a = v->if_array()) {
                for (const auto& item : *a)
                    found = found || engine::iequals(scalar_text(item), wanted);
            } else {
                for (const std::string& item : items_of(scalar_text(*v)))
                    found = found || engine::iequals(item, wanted);
            }
        }
        return {found ? "true" : "false"};
    }
    if (const auto* v = details.if_contains(name)) {
        if (const auto* a = v->if_array()) {
            for (const auto& item : *a)
                if (std::string text = scalar_text(item); !text.empty())
                    out.push_back(std::move(text));
        } else if (std::string text = scalar_text(*v); !text.empty()) {
            out.push_back(std::move(text));
        }
    }
    return out;
}

std::string field_text(const boost::json::object& details, const FieldRef& ref,
                       const PreflightOptions& options) {
    return joined(field_values(details, ref, options));
}

std::optional<std::string> param_text(const std::vector<CallParam>& params, std::string_view name) {
    for (const CallParam& p : params)
        if (p.name == name) return value_text(p.value);
    return std::nullopt;
}

bool same_value(std::string_view a, std::string_view b, bool as_set) {
    if (!as_set) return engine::iequals(a, b);
    return items_of(a) == items_of(b);
}

std::vector<FieldRef> kept_fields(const Declaration& d) {
    std::vector<FieldRef> out;
    auto keep = [&](const FieldRef& f) {
        if (f == "currentstatus" || f == "endtime" || f == "planid" || f.starts_with('@')) return;
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    };
    for (const Fence& f : d.fences) keep(f.field);
    for (const StateRule& r : d.state_rules) keep(r.field);
    std::string error;
    if (auto t = parse_template(d.plan_text, error)) {
        for (const std::string& name : template_names(*t)) {
            const bool is_param =
                std::any_of(d.params.begin(), d.params.end(),
                            [&](const DeclaredParam& p) { return p.name == name; });
            if (!is_param) keep(name);
        }
    }
    return out;
}

std::vector<FieldRef> read_fields(const Declaration& d) {
    std::vector<FieldRef> out{"currentstatus", "endtime"};
    auto add = [&](const FieldRef& f) {
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    };
    auto add_names = [&](const std::string& text) {
        std::string error;
        if (auto t = parse_template(text, error))
            for (const std::string& name : template_names(*t)) {
                const bool is_param =
                    std::any_of(d.params.begin(), d.params.end(),
                                [&](const DeclaredParam& p) { return p.name == name; });
                if (!is_param) add(name);
            }
    };
    for (const OrderRule& rule : d.order_rules) {
        for (const FieldRef& f : rule.fields) add(f);
        add_names(rule.reason);
        add_names(rule.missing_reason);
    }
    for (const FieldRef& f : kept_fields(d)) add(f);
    return out;
}

OrderState declared_state(const Declaration& d, const boost::json::object& details,
                          const PreflightOptions& options) {
    OrderState state = state_of(details);
    for (const FieldRef& f : kept_fields(d)) state.fields[f] = field_text(details, f, options);
    return state;
}

std::string state_value(const OrderState& state, const FieldRef& ref) {
    if (ref == "currentstatus") return state.status;
    if (ref == "endtime") return state.endtime;
    if (ref == "planid") return state.planid;
    auto it = state.fields.find(ref);
    return it == state.fields.end() ? "" : it->second;
}

PreflightVerdict judge_rules(const Declaration& d, std::string_view order_id,
                             const boost::json::object& details, const PreflightOptions& options,
                             std::int64_t now, const std::vector<CallParam>& params) {
    OrderState state = declared_state(d, details, options);
    for (const OrderRule& rule : d.order_rules) {
        std::vector<std::pair<std::string, std::string>> given;
        std::string reason = rule.reason;
        bool hit = holds(rule, details, options, params);
        if (rule.kind == OrderRule::Kind::expires_within && options.renew_if_expires_within) {
            auto end = parse_whole(field_text(details, rule.fields.front(), options));
            if (!end) {
                hit = true;
                reason = rule.missing_reason;
            } else {
                hit = *end > now + options.renew_if_expires_within->count();
            }
        }
        if (rule.kind == OrderRule::Kind::since_last && options.min_interval &&
            options.last_resent) {
            auto it = options.last_resent->find(std::string(order_id));
            if (it != options.last_resent->end() &&
                now - it->second < options.min_interval->count()) {
                hit = true;
                given = {{"since", hours_text(now - it->second)},
                         {"min-interval", hours_text(options.min_interval->count())}};
            }
        }
        if (!hit) continue;
        PreflightVerdict verdict =
            skip(reason_text(params, details, options, given, reason), std::move(state));
        verdict.refused = rule.refuse;
        return verdict;
    }
    return {true, "", std::move(state)};
}

StateEvidence state_rules_evidence(const Declaration& d, const OrderState& before,
                                   const OrderState& after, const std::vector<CallParam>& params) {
    for (const StateRule& rule : d.state_rules) {
        const std::string was = state_value(before, rule.field);
        const std::string is = state_value(after, rule.field);
        const std::string& label = rule.label.empty() ? rule.field : rule.label;
        switch (rule.kind) {
            case StateRule::Kind::moved_later: {
                auto a = parse_whole(was);
                auto b = parse_whole(is);
                if (!a || !b) return {Applied::cannot_tell, "no " + label + " to compare"};
                if (*b > *a)
                    return {Applied::yes, label + " moved " + date_of(was) + " -> " + date_of(is)};
                if (*b == *a) return {Applied::no, label + " unchanged"};
                return {Applied::cannot_tell,
                        label + " moved back " + date_of(was) + " -> " + date_of(is)};
            }
            case StateRule::Kind::became:
                if (std::find(rule.values.begin(), rule.values.end(), is) != rule.values.end())
                    return {Applied::yes, label + " is " + is};
                return {Applied::no, label + " is still " + is};
            case StateRule::Kind::equals_param: {
                auto wanted = param_text(params, rule.param);
                if (!wanted) return {Applied::cannot_tell, "no " + rule.param + " to compare"};
                if (same_value(is, *wanted, rule.as_set))
                    return {Applied::yes, label + " now " + (is.empty() ? "none" : is)};
                return {Applied::no, label + " still " + (is.empty() ? "none" : is)};
            }
        }
    }
    return {Applied::cannot_tell, "the order's state cannot show it"};
}

std::string declared_plan_text(const Declaration& d, const std::vector<CallParam>& params,
                               const std::optional<OrderState>& state) {
    std::string error;
    auto t = parse_template(d.plan_text, error);
    if (!t) return d.plan_text;
    const std::vector<std::pair<std::string, std::string>> none;
    return render(*t,
                  lookup_in(
                      params, none,
                      [&](const FieldRef& ref) { return state ? state_value(*state, ref) : ""; },
                      [](const FieldRef& ref) { return ref; }),
                  term_months(params));
}

}  // namespace rcbatch::jobs
