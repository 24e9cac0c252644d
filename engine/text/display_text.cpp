#include "engine/text/display_text.hpp"

#include <cstdio>

namespace rcbatch::engine {

namespace {
void append_hex(std::string& out, const char* format, unsigned value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

bool continuation(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }
}  // namespace

bool is_unsafe_code_point(char32_t c) noexcept {
    return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 ||
           // Invisible: a byte order mark, a zero-width space, the direction marks and the word
           // joiners (ZWJ and ZWNJ stay: Indic names need them).
           c == 0xFEFF || c == 0x200B || c == 0x200E || c == 0x200F || c == 0x061C ||
           (c >= 0x2060 && c <= 0x2064);
}

std::size_t utf8_sequence(std::string_view text, char32_t& code_point) noexcept {
    if (text.empty()) return 0;
    const auto b0 = static_cast<unsigned char>(text[0]);
    std::size_t length = 0;
    char32_t c = 0, min = 0;
    if (b0 < 0x80) {
        code_point = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        length = 2, c = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        length = 3, c = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        length = 4, c = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (!continuation(b)) return 0;
        c = (c << 6) | (b & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    code_point = c;
    return length;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        char32_t c = 0;
        const std::size_t n = utf8_sequence(text, c);
        if (n == 0) {  // not UTF-8: the byte, escaped
            append_hex(out, "\\x%02x", static_cast<unsigned char>(text[0]));
            text.remove_prefix(1);
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            append_hex(out, "\\x%02x", static_cast<unsigned>(c));
        else if (is_unsafe_code_point(c))
            append_hex(out, "\\u%04x", static_cast<unsigned>(c));
        else
            out.append(text.substr(0, n));
        text.remove_prefix(n);
    }
    return out;
}

namespace {
// The start of `text` that fits in `max_bytes`, cut before a UTF-8 continuation byte.
std::string_view utf8_start(std::string_view text, std::size_t max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && continuation(static_cast<unsigned char>(text[cut]))) --cut;
    return text.substr(0, cut);
}
}  // namespace

std::string quoted_value(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return "'" + std::string(text) + "'";
    return "'" + std::string(utf8_start(text, max_bytes)) + "\u2026' (" +
           std::to_string(text.size()) + " bytes)";
}

std::string printable_field(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return printable(text);
    return printable(utf8_start(text, max_bytes)) + "\u2026 (" + std::to_string(text.size()) +
           " bytes)";
}

std::string printable_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (;;) {
        const std::size_t newline = text.find('\n');
        out += printable(text.substr(0, newline));
        if (newline == std::string_view::npos) break;
        out += '\n';
        text.remove_prefix(newline + 1);
    }
    return out;
}

}  // namespace rcbatch::engine
