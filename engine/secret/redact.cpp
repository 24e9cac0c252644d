#include "engine/secret/redact.hpp"

#include "engine/secret/secret_match.hpp"
#include "engine/text/ascii_case.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace rcbatch::engine {

namespace {
constexpr std::string_view mask = "***";
constexpr std::size_t npos = std::string_view::npos;
// Secrets at least this long match loosely (any case, separators and markup inside): no
// innocent text holds one of them by chance.
constexpr std::size_t loose_min_length = 8;

// Registered before the threads start and only read afterwards.
struct Registry {
    std::vector<std::string> secrets;
    // Bytes where a match can start: 'a'/'A' (api-key=), each secret's first character (in
    // either case when loose) and the first bytes of an encoded character.
    std::array<bool, 256> starts{};

    Registry() {
        for (char c : {'a', 'A', '%', '\\', '&'}) starts[static_cast<unsigned char>(c)] = true;
    }
};

Registry& registry() {
    static Registry r;
    return r;
}

SecretPattern pattern(const std::string& secret) {
    return {secret, secret.size() >= loose_min_length};
}

// Characters a URL encoder always percent-encodes inside a query value, and whitespace: where
// a plain `api-key=` value must end.
bool ends_value(char c) {
    return c == '&' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
           c == '`' || c == '{' || c == '|' || c == '}' || static_cast<unsigned char>(c) <= ' ' ||
           c == '\x7f';
}

// The end of a query or form value starting at `from`. A key inside an encoded URL ends at
// its encoded '&' ("%26"); a key that itself held '&' was encoded twice there ("%2526").
std::size_t value_end(std::string_view text, std::size_t from, bool encoded) {
    std::size_t end = from;
    while (end < text.size() && !ends_value(text[end]) &&
           !(encoded && istarts_with(text.substr(end), "%26")))
        ++end;
    return end;
}

// An `api-key=` (or `api-key%3D`) at `at`: where its value starts and ends; npos otherwise.
std::pair<std::size_t, std::size_t> api_key_value(std::string_view text, std::size_t at) {
    if (at + 1 >= text.size() || ascii_lower(text[at + 1]) != 'p') return {npos, npos};
    const std::string_view rest = text.substr(at);
    const bool plain = istarts_with(rest, "api-key=");
    if (!plain && !istarts_with(rest, "api-key%3d")) return {npos, npos};
    const std::size_t from = at + (plain ? 8 : 10);
    const std::size_t end = value_end(text, from, !plain);
    return end > from ? std::pair{from, end} : std::pair{npos, npos};
}

// The longest match of a registered secret starting at `at`, or npos.
std::size_t secret_match_end(const Registry& r, std::string_view text, std::size_t at) {
    std::size_t end = npos;
    const char c = text[at];
    for (const std::string& s : r.secrets) {
        const bool loose = pattern(s).loose;
        if (c != s.front() && !starts_encoded(c) &&
            !(loose && ascii_lower(c) == ascii_lower(s.front())))
            continue;
        const std::size_t e = secret_end(text, at, {s, loose});
        if (e != npos && (end == npos || e > end)) end = e;
    }
    return end;
}
// The first byte at or after `from` where a match can start; text.size() when none is left.
std::size_t next_start(const Registry& r, std::string_view text, std::size_t from) {
    const char* p = text.data() + from;
    const char* const end = text.data() + text.size();
    while (p != end && !r.starts[static_cast<unsigned char>(*p)]) ++p;
    return static_cast<std::size_t>(p - text.data());
}
}  // namespace

void register_secret(std::string_view secret) {
    if (secret.size() < 4) return;
    Registry& r = registry();
    if (std::find(r.secrets.begin(), r.secrets.end(), secret) != r.secrets.end()) return;
    r.secrets.emplace_back(secret);
    const char first = secret.front();
    r.starts[static_cast<unsigned char>(first)] = true;
    if (pattern(r.secrets.back()).loose)
        for (char c : {ascii_lower(first),
                       static_cast<char>(std::toupper(static_cast<unsigned char>(first)))})
            r.starts[static_cast<unsigned char>(c)] = true;
}

std::string redact(std::string_view text) {
    const Registry& r = registry();
    std::string out;
    std::size_t copied = 0;  // text[0, copied) is in `out` already
    for (std::size_t i = 0; (i = next_start(r, text, i)) < text.size(); ++i) {
        auto [from, end] = api_key_value(text, i);
        if (end == npos) from = i, end = secret_match_end(r, text, i);
        if (end == npos) continue;
        if (out.empty()) out.reserve(text.size());
        out.append(text.substr(copied, from - copied));
        out += mask;
        copied = end;
        i = end - 1;
    }
    if (copied == 0) return std::string(text);
    out.append(text.substr(copied));
    return out;
}

bool could_be_a_key(std::string_view value) {
    if (value.size() < 20) return false;
    bool upper = false, lower = false, digit = false;
    for (unsigned char c : value) {
        if (!std::isalnum(c)) return false;
        upper = upper || std::isupper(c);
        lower = lower || std::islower(c);
        digit = digit || std::isdigit(c);
    }
    return upper && lower && digit;
}

std::string mask_key_like(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (!std::isalnum(static_cast<unsigned char>(text[i]))) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
        const std::string_view word = text.substr(i, end - i);
        out += could_be_a_key(word) ? mask : word;
        i = end;
    }
    return out;
}

}  // namespace rcbatch::engine
