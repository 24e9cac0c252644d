#include "config/toml_reader.hpp"

#include "engine/text/display_text.hpp"

namespace rcbatch::config {

std::optional<std::chrono::milliseconds> TomlReader::duration(std::string_view key, bool required,
                                                              DurationRange bounds) {
    const toml::node* n = node(key);
    if (n && !n->is_string()) {
        error_at_key(key, "expected a duration such as \"30s\" or \"500ms\", got " +
                              std::string(type_name(*n)));
        return std::nullopt;
    }
    auto text = string(key, required);
    if (!text) return std::nullopt;
    auto d = parse_duration(*text);
    const std::string range =
        "from " + format_duration(bounds.min) + " to " + format_duration(bounds.max);
    if (!d) {
        error_at_key(key, engine::quoted_value(*text) +
                              " is not a duration (a whole number and ms, s, m, h or d, " + range +
                              ")");
        return std::nullopt;
    }
    if (*d < bounds.min || *d > bounds.max) {
        error_at_key(key, "must be " + range + ", got " + *text);
        return std::nullopt;
    }
    return d;
}

}  // namespace rcbatch::config
