#include "engine/text/toml_nodes.hpp"

namespace rcbatch::engine {

Diagnostic located(const std::string& file, const toml::source_region& where, std::string message) {
    return {file, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column),
            std::move(message)};
}

std::string_view type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date/time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

}  // namespace rcbatch::engine
