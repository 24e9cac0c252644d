#include "jobs/actions/text_template.hpp"

#include "jobs/api/text_fields.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs {

namespace {

std::vector<std::string> split_filters(std::string_view inside, std::string& name) {
    std::vector<std::string> filters;
    std::size_t bar = inside.find('|');
    name = std::string(inside.substr(0, bar));
    while (bar != std::string_view::npos) {
        inside.remove_prefix(bar + 1);
        bar = inside.find('|');
        filters.emplace_back(inside.substr(0, bar));
    }
    return filters;
}

std::string apply(std::string value, std::string_view filter, const TemplateValue& v,
                  std::optional<std::int64_t> term_months) {
    if (filter == "date") return value.empty() ? value : date_of(value);
    if (filter == "name") return v.as_name;
    if (filter == "on-off") {
        if (engine::iequals(value, "true")) return "on";
        if (engine::iequals(value, "false")) return "off";
        return value;
    }
    if (filter == "after-term") {
        auto start = parse_whole(value);
        if (!start || !term_months) return "";
        return std::to_string(add_months(*start, static_cast<int>(*term_months)));
    }
    if (filter.starts_with("or:")) return value.empty() ? std::string(filter.substr(3)) : value;
    if (filter.starts_with("count:")) {
        if (value.empty()) return value;
        return value + " " + std::string(filter.substr(6)) + (value == "1" ? "" : "s");
    }
    return value;
}

}  // namespace

bool known_filter(std::string_view f) {
    return f == "date" || f == "name" || f == "on-off" || f == "after-term" ||
           (f.starts_with("or:")) || (f.starts_with("count:") && f.size() > 6);
}

std::optional<TextTemplate> parse_template(std::string_view text, std::string& error) {
    TextTemplate t;
    int section = -1;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) t.pieces.push_back({std::move(literal), "", {}, section});
        literal.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '[') {
            if (section >= 0) {
                error = "a [...] part inside another";
                return std::nullopt;
            }
            flush();
            section = t.sections++;
        } else if (c == ']') {
            if (section < 0) {
                error = "a ']' without its '['";
                return std::nullopt;
            }
            flush();
            section = -1;
        } else if (c == '{') {
            const std::size_t close = text.find('}', i);
            if (close == std::string_view::npos) {
                error = "a '{' without its '}'";
                return std::nullopt;
            }
            flush();
            TextTemplate::Piece p;
            p.filters = split_filters(text.substr(i + 1, close - i - 1), p.name);
            if (p.name.empty() || p.name.find_first_of("{[]") != std::string::npos) {
                error = "an empty or malformed {placeholder}";
                return std::nullopt;
            }
            for (const std::string& f : p.filters) {
                if (!known_filter(f)) {
                    error = "unknown filter '" + f +
                            "' (date, count:WORD, after-term, or:TEXT, on-off, name)";
                    return std::nullopt;
                }
            }
            p.section = section;
            t.pieces.push_back(std::move(p));
            i = close;
        } else if (c == '}') {
            error = "a '}' without its '{'";
            return std::nullopt;
        } else {
            literal += c;
        }
    }
    if (section >= 0) {
        error = "a '[' without its ']'";
        return std::nullopt;
    }
    flush();
    return t;
}

std::vector<std::string> template_names(const TextTemplate& t) {
    std::vector<std::string> names;
    for (const auto& p : t.pieces)
        if (!p.name.empty()) names.push_back(p.name);
    return names;
}

std::string render(const TextTemplate& t, const TemplateLookup& lookup,
                   std::optional<std::int64_t> term_months) {
    std::vector<std::string> texts(t.pieces.size());
    std::vector<bool> dropped(static_cast<std::size_t>(t.sections), false);
    for (std::size_t i = 0; i < t.pieces.size(); ++i) {
        const auto& p = t.pieces[i];
        if (p.name.empty()) {
            texts[i] = p.literal;
            continue;
        }
        const TemplateValue v = lookup(p.name).value_or(TemplateValue{});
        std::string text = v.text;
        for (const std::string& f : p.filters) text = apply(std::move(text), f, v, term_months);
        if (text.empty() && p.section >= 0) dropped[static_cast<std::size_t>(p.section)] = true;
        texts[i] = std::move(text);
    }
    std::string out;
    for (std::size_t i = 0; i < t.pieces.size(); ++i) {
        const int s = t.pieces[i].section;
        if (s < 0 || !dropped[static_cast<std::size_t>(s)]) out += texts[i];
    }
    return out;
}

}  // namespace rcbatch::jobs
