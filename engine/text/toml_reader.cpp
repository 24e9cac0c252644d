#include "engine/text/toml_reader.hpp"

#include "engine/store/regular_file.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"

#include <cctype>
#include <cmath>
#include <sstream>

namespace rcbatch::engine {

bool looks_like_api_key(std::string_view key) {
    std::string folded;
    for (char c : key)
        if (std::isalnum(static_cast<unsigned char>(c)))
            folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return folded == "apikey";
}

std::optional<toml::table> parse_toml_file(const std::string& path, Diagnostics& out) {
    std::string error;
    auto text = read_regular_file(path, max_toml_bytes, error);
    if (!text) {
        out.push_back({path, 0, 0, "the file " + error});
        return std::nullopt;
    }
    try {
        return toml::parse(*text, path);
    } catch (const toml::parse_error& e) {
        out.push_back(located(path, e.source(), "TOML syntax: " + std::string(e.description())));
        return std::nullopt;
    }
}

TomlReader::TomlReader(const toml::table& table, std::string file, std::string prefix,
                       Diagnostics& out)
    : table_(table), file_(std::move(file)), prefix_(std::move(prefix)), out_(out) {}

std::string TomlReader::qualified(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void TomlReader::error(const toml::node* where, std::string message) {
    const toml::source_region& region = where ? where->source() : table_.source();
    Diagnostic d = located(file_, region, std::move(message));
    if (d.line == 0) d.line = d.column = 1;
    out_.push_back(std::move(d));
}

void TomlReader::error_at_key(std::string_view key, std::string message) {
    error(node(key), qualified(key) + ": " + std::move(message));
}

void TomlReader::missing(std::string_view key) {
    std::string where = prefix_.empty() ? "" : " in [" + prefix_ + "]";
    error(nullptr, "missing required key '" + qualified(key) + "'" + where);
}

void TomlReader::allow_only(const std::vector<std::string_view>& allowed) {
    for (auto&& [key, value] : table_) {
        const std::string_view name = key.str();
        bool known = false;
        for (std::string_view a : allowed) known = known || a == name;
        if (known) continue;
        if (looks_like_api_key(name)) continue;  // reject_api_keys() reports those
        Diagnostic d = located(file_, key.source(), "unknown key " + quoted_value(qualified(name)));
        if (d.line == 0) d = located(file_, value.source(), d.message);
        if (std::string guess = closest(name, allowed); !guess.empty())
            d.message += " (did you mean '" + qualified(guess) + "'?)";
        out_.push_back(std::move(d));
    }
}

bool TomlReader::has(std::string_view key) const { return table_.contains(key); }

const toml::node* TomlReader::node(std::string_view key) const { return table_.get(key); }

std::optional<std::int64_t> TomlReader::integer(std::string_view key, bool required,
                                                std::int64_t min, std::int64_t max) {
    const toml::node* n = node(key);
    if (!n) {
        if (required) missing(key);
        return std::nullopt;
    }
    std::string range = std::to_string(min) + " to " + std::to_string(max);
    if (!n->is_integer()) {
        error_at_key(key,
                     "expected an integer from " + range + ", got " + std::string(type_name(*n)));
        return std::nullopt;
    }
    const std::int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
        error_at_key(key, "must be from " + range + ", got " + std::to_string(v));
        return std::nullopt;
    }
    return v;
}

std::optional<double> TomlReader::number(std::string_view key, bool required, double min,
                                         double max) {
    const toml::node* n = node(key);
    if (!n) {
        if (required) missing(key);
        return std::nullopt;
    }
    std::optional<double> v;
    if (n->is_floating_point()) v = n->as_floating_point()->get();
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    if (!v) {
        error_at_key(key, "expected a number, got " + std::string(type_name(*n)));
        return std::nullopt;
    }
    if (!std::isfinite(*v) || *v < min || *v > max) {
        std::ostringstream msg;
        msg << "must be from " << min << " to " << max << ", got " << *v;
        error_at_key(key, msg.str());
        return std::nullopt;
    }
    return v;
}

std::optional<bool> TomlReader::boolean(std::string_view key, bool required) {
    const toml::node* n = node(key);
    if (!n) {
        if (required) missing(key);
        return std::nullopt;
    }
    if (!n->is_boolean()) {
        error_at_key(key, "expected true or false, got " + std::string(type_name(*n)));
        return std::nullopt;
    }
    return n->as_boolean()->get();
}

std::optional<std::string> TomlReader::string(std::string_view key, bool required) {
    const toml::node* n = node(key);
    if (!n) {
        if (required) missing(key);
        return std::nullopt;
    }
    if (!n->is_string()) {
        error_at_key(key, "expected a string, got " + std::string(type_name(*n)));
        return std::nullopt;
    }
    return n->as_string()->get();
}

std::optional<std::string> TomlReader::one_of(std::string_view key, bool required,
                                              const std::vector<std::string_view>& allowed) {
    auto v = string(key, required);
    if (!v) return std::nullopt;
    for (std::string_view a : allowed)
        if (a == *v) return v;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    std::string message = quoted_value(*v) + " is not one of " + list;
    if (std::string guess = closest(*v, allowed); !guess.empty())
        message += " (did you mean '" + guess + "'?)";
    error_at_key(key, message);
    return std::nullopt;
}

const toml::table* TomlReader::table(std::string_view key, bool required) {
    const toml::node* n = node(key);
    if (!n) {
        if (required) missing(key);
        return nullptr;
    }
    if (!n->is_table()) {
        error_at_key(key, "expected a table, got " + std::string(type_name(*n)));
        return nullptr;
    }
    return n->as_table();
}

}  // namespace rcbatch::engine

namespace rcbatch::engine {

void reject_api_keys(const toml::table& table, const std::string& file, Diagnostics& out,
                     const std::string& prefix) {
    for (auto&& [key, value] : table) {
        const std::string name =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (looks_like_api_key(key.str())) {
            Diagnostic d = located(file, key.source(), "");
            if (d.line == 0) d = located(file, value.source(), "");
            d.message = quoted_value(name) +
                        ": an API key never goes in this file; set RCBATCH_API_KEY (or the "
                        "profile's api-key-env) or point the profile's api-key-file at a file "
                        "only you can read (chmod 600)";
            out.push_back(std::move(d));
        }
        if (const toml::table* inner = value.as_table()) reject_api_keys(*inner, file, out, name);
        if (const toml::array* list = value.as_array())
            for (const toml::node& item : *list)
                if (const toml::table* inner = item.as_table())
                    reject_api_keys(*inner, file, out, name);
    }
}

}  // namespace rcbatch::engine
