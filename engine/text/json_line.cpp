#include "engine/text/json_line.hpp"

#include "engine/text/display_text.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {
void append_u(std::string& out, unsigned code) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\u%04x", code);
    out += buffer;
}

void append_string(std::string& out, std::string_view text) {
    out += '"';
    while (!text.empty()) {
        char32_t c = 0;
        const std::size_t n = utf8_sequence(text, c);
        if (n == 0) {
            out += "\\ufffd";
            text.remove_prefix(1);
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7F || is_unsafe_code_point(c))
                    append_u(out, static_cast<unsigned>(c));
                else
                    out.append(text.substr(0, n));
        }
        text.remove_prefix(n);
    }
    out += '"';
}

void append_value(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            out += "null";
            break;
        case json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            break;
        case json::kind::int64:
            out += std::to_string(v.get_int64());
            break;
        case json::kind::uint64:
            out += std::to_string(v.get_uint64());
            break;
        case json::kind::double_:
            out += json_number(v.get_double());
            break;
        case json::kind::string:
            append_string(out, v.get_string());
            break;
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const json::value& item : v.get_array()) {
                if (!first) out += ',';
                first = false;
                append_value(out, item);
            }
            out += ']';
            break;
        }
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : v.get_object()) {
                if (!first) out += ',';
                first = false;
                append_string(out, key);
                out += ':';
                append_value(out, item);
            }
            out += '}';
            break;
        }
    }
}
}  // namespace

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char buffer[400];  // the longest fixed form of a double is about 330 characters
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
    if (ec != std::errc{}) return "null";
    return std::string(buffer, end);
}

std::string json_string(std::string_view text) {
    std::string out;
    append_string(out, text);
    return out;
}

std::string json_line(const json::value& v) {
    std::string out;
    append_value(out, v);
    return out;
}

}  // namespace rcbatch::engine
