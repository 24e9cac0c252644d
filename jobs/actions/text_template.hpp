#pragma once
// The texts an action file writes (a plan's line, a skip's reason): "renew {months|count:month}
// [: endtime {endtime|date} -> {endtime|after-term|date}]". `{name}` is a parameter, a field of
// the order's details or a value the rule gives; `|filter` changes it; a `[...]` part is left
// out when a value in it is empty. Checked when the file is read, rendered per order.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

struct TemplateValue {
    std::string text;     // the value; lists are joined with ", "
    std::string as_name;  // what `|name` shows (the field's own name)
};

// The value of `name`, or nullopt when there is none.
using TemplateLookup = std::function<std::optional<TemplateValue>(std::string_view name)>;

struct TextTemplate {
    struct Piece {
        std::string literal;               // text, when `name` is empty
        std::string name;                  // a placeholder
        std::vector<std::string> filters;  // "date", "count:month", ...
        int section = -1;                  // the [...] part it is in; -1: none
    };
    std::vector<Piece> pieces;
    int sections = 0;
};

// Reads `text`; on a mistake returns nullopt and sets `error` (one line, no location).
std::optional<TextTemplate> parse_template(std::string_view text, std::string& error);

// Every placeholder's name, for the file's checks.
std::vector<std::string> template_names(const TextTemplate& t);

// The filters a template may use: date, count:WORD, after-term, or:TEXT, on-off, name.
bool known_filter(std::string_view filter);

// `t` filled in. `term_months` is the order's term, for `after-term`.
std::string render(const TextTemplate& t, const TemplateLookup& lookup,
                   std::optional<std::int64_t> term_months);

}  // namespace rcbatch::jobs
