#include "engine/secret/secret_match.hpp"

#include "engine/text/ascii_case.hpp"
#include "engine/text/display_text.hpp"

#include <array>
#include <utility>

namespace rcbatch::engine {

namespace {
constexpr std::size_t max_tag_bytes = 256;  // a longer "<...>" is not taken for markup

// One character of the text as a decoder reads it: the character and where it ends.
struct Decoded {
    char32_t c = 0;
    std::size_t end = 0;
};

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    const char lower = ascii_lower(c);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

int hex_byte(std::string_view t, std::size_t at) noexcept {
    if (at + 2 > t.size()) return -1;
    const int high = hex_digit(t[at]), low = hex_digit(t[at + 1]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
}

// "%HH" at `at`, also encoded again ("%25HH", "%2525HH"): the byte, with `at` moved past it;
// -1 (and `at` unchanged) when there is none.
int percent_byte(std::string_view t, std::size_t& at) noexcept {
    if (at >= t.size() || t[at] != '%') return -1;
    int value = hex_byte(t, at + 1);
    if (value < 0) return -1;
    std::size_t end = at + 3;
    for (int again = 0; value == '%' && (again = hex_byte(t, end)) >= 0; end += 2) value = again;
    at = end;
    return value;
}

// A percent-encoded character; with `code_points`, an encoded UTF-8 sequence as one.
Decoded percent_decoded(std::string_view t, std::size_t at, bool code_points) noexcept {
    std::size_t end = at;
    const int lead = percent_byte(t, end);
    if (lead < 0) return {U'%', at + 1};
    if (lead < 0x80 || !code_points) return {static_cast<char32_t>(lead), end};
    std::array<char, 4> bytes{static_cast<char>(lead)};
    std::array<std::size_t, 4> ends{end};
    std::size_t count = 1;
    for (int b = 0; count < bytes.size(); ++count) {
        std::size_t next = ends[count - 1];
        if ((b = percent_byte(t, next)) < 0 || (b & 0xC0) != 0x80) break;
        bytes[count] = static_cast<char>(b);
        ends[count] = next;
    }
    char32_t c = 0;
    const std::size_t length = utf8_sequence(std::string_view(bytes.data(), count), c);
    if (length == 0) return {static_cast<char32_t>(lead), end};
    return {c, ends[length - 1]};
}

// A JSON escape (\u0041, \n, \/) or engine::printable's \xHH.
Decoded escaped(std::string_view t, std::size_t at) noexcept {
    if (at + 1 < t.size()) {
        switch (t[at + 1]) {
            case 'u': {
                const int high = hex_byte(t, at + 2), low = hex_byte(t, at + 4);
                if (high >= 0 && low >= 0) return {static_cast<char32_t>(high * 256 + low), at + 6};
                break;
            }
            case 'x':
                if (const int b = hex_byte(t, at + 2); b >= 0)
                    return {static_cast<char32_t>(b), at + 4};
                break;
            case 'n':
                return {U'\n', at + 2};
            case 'r':
                return {U'\r', at + 2};
            case 't':
                return {U'\t', at + 2};
            case 'b':
                return {U'\b', at + 2};
            case 'f':
                return {U'\f', at + 2};
            case '/':
            case '\\':
            case '"':
                return {static_cast<char32_t>(t[at + 1]), at + 2};
            default:
                break;
        }
    }
    return {U'\\', at + 1};
}

// An HTML character reference: &#65; &#x41; or one of the few names a page uses for text.
Decoded reference(std::string_view t, std::size_t at) noexcept {
    static constexpr std::pair<std::string_view, char32_t> names[] = {
        {"&amp;", U'&'},  {"&lt;", U'<'},    {"&gt;", U'>'},
        {"&quot;", U'"'}, {"&apos;", U'\''}, {"&nbsp;", U'\u00a0'}};
    const std::string_view rest = t.substr(at);
    for (const auto& [name, c] : names)
        if (rest.starts_with(name)) return {c, at + name.size()};
    if (rest.starts_with("&#")) {
        std::size_t i = 2;
        const bool hex = i < rest.size() && (rest[i] == 'x' || rest[i] == 'X');
        if (hex) ++i;
        char32_t value = 0;
        const std::size_t first = i;
        for (int d = 0; i < rest.size() && i - first < 7; ++i) {
            d = hex ? hex_digit(rest[i]) : (rest[i] >= '0' && rest[i] <= '9' ? rest[i] - '0' : -1);
            if (d < 0) break;
            value = value * (hex ? 16 : 10) + static_cast<char32_t>(d);
        }
        if (i > first && i < rest.size() && rest[i] == ';' && value <= 0x10FFFF)
            return {value, at + i + 1};
    }
    return {U'&', at + 1};
}

// The character at `at`, decoded; with `code_points` a raw UTF-8 sequence is one character.
Decoded decode_at(std::string_view t, std::size_t at, bool code_points) noexcept {
    switch (t[at]) {
        case '%':
            return percent_decoded(t, at, code_points);
        case '\\':
            return escaped(t, at);
        case '&':
            return reference(t, at);
        default:
            break;
    }
    const auto byte = static_cast<unsigned char>(t[at]);
    char32_t c = 0;
    if (byte >= 0x80 && code_points)
        if (const std::size_t n = utf8_sequence(t.substr(at), c)) return {c, at + n};
    return {byte, at + 1};
}

bool same(char32_t c, char wanted, bool loose) noexcept {
    const auto w = static_cast<unsigned char>(wanted);
    if (c == w) return true;
    return loose && c < 0x80 && ascii_lower(static_cast<char>(c)) == ascii_lower(wanted);
}

// Where an HTML tag ("<b>", "</span>", "<!-- -->") that starts at `at` ends, or
// std::string_view::npos.
std::size_t tag_end(std::string_view t, std::size_t at) noexcept {
    if (t[at] != '<' || at + 1 >= t.size()) return std::string_view::npos;
    const char next = t[at + 1];
    const bool letter = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
    if (!letter && next != '/' && next != '!' && next != '?') return std::string_view::npos;
    const std::size_t close = t.substr(at, max_tag_bytes).find('>');
    return close == std::string_view::npos ? std::string_view::npos : at + close + 1;
}
}  // namespace

bool is_separator(char32_t c) noexcept {
    if (c > 0x20 && c < 0x7F) return false;                  // the common case first
    if (c <= 0x20 || (c >= 0x7F && c <= 0xA0)) return true;  // C0, space, DEL, C1, NBSP
    switch (c) {
        case 0xAD:
        case 0x34F:
        case 0x61C:
        case 0x115F:
        case 0x1160:
        case 0x1680:
        case 0x17B4:
        case 0x17B5:
        case 0x3000:
        case 0x3164:
        case 0xFEFF:
        case 0xFFA0:
            return true;
        default:
            break;
    }
    return (c >= 0x180B && c <= 0x180F) || (c >= 0x2000 && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFFF0 && c <= 0xFFFB) ||
           (c >= 0xE0000 && c <= 0xE0FFF);
}

std::size_t secret_end(std::string_view t, std::size_t at, const SecretPattern& secret) noexcept {
    const std::string_view s = secret.text;
    std::size_t pos = at;
    for (std::size_t i = 0; i < s.size();) {
        if (pos >= t.size()) return std::string_view::npos;
        // The byte as it stands first: a secret may itself hold '%', '\\' or '&'.
        if (same(static_cast<unsigned char>(t[pos]), s[i], secret.loose)) {
            ++i, ++pos;
            continue;
        }
        const Decoded d = decode_at(t, pos, secret.loose);
        if (same(d.c, s[i], secret.loose)) {
            ++i, pos = d.end;
            continue;
        }
        if (!secret.loose || i == 0) return std::string_view::npos;
        if (const std::size_t tag = t[pos] == '<' ? tag_end(t, pos) : std::string_view::npos;
            tag != std::string_view::npos) {
            pos = tag;
        } else if (is_separator(d.c)) {
            pos = d.end;
        } else {
            return std::string_view::npos;
        }
    }
    return pos;
}

}  // namespace rcbatch::engine
