#include "engine/redact.hpp"

#include "engine/ascii_case.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace rcbatch::engine {

namespace {
constexpr std::string_view mask = "***";

// Registered before the threads start and only read afterwards.
std::vector<std::string>& secrets() {
    static std::vector<std::string> forms;
    return forms;
}

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
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

std::string redact_api_key_params(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        // Only an 'a' can start "api-key": copy up to the next one at once.
        const std::size_t a = std::min(text.find_first_of("aA", i), text.size());
        out.append(text.substr(i, a - i));
        i = a;
        if (i == text.size()) break;
        const bool plain = istarts_with(text.substr(i), "api-key=");
        const bool encoded = !plain && istarts_with(text.substr(i), "api-key%3d");
        if (!plain && !encoded) {
            out += text[i++];
            continue;
        }
        const std::size_t prefix = plain ? 8 : 10;
        out.append(text.substr(i, prefix));
        i += prefix;
        const std::size_t end = value_end(text, i, encoded);
        if (end > i) out += mask;
        i = end;
    }
    return out;
}

void replace_all_nocase(std::string& text, std::string_view form) {
    for (std::size_t at = 0; at + form.size() <= text.size();) {
        if (istarts_with(std::string_view(text).substr(at), form)) {
            text.replace(at, form.size(), mask);
            at += mask.size();
        } else {
            ++at;
        }
    }
}
}  // namespace

void register_secret(std::string_view secret) {
    if (secret.size() < 4) return;
    const std::string once = percent_encode(secret);
    const std::string twice = percent_encode(once);
    // Longest forms first, so a replaced encoded form is not matched again as a literal.
    for (const std::string& form : {twice, once, std::string(secret)}) {
        bool known = false;
        for (const std::string& s : secrets()) known = known || s == form;
        if (!known) secrets().push_back(form);
    }
}

std::string redact(std::string_view text) {
    std::string out = redact_api_key_params(text);
    for (const std::string& form : secrets()) {
        if (form.find('%') == std::string::npos) {
            for (std::size_t at = out.find(form); at != std::string::npos;
                 at = out.find(form, at + mask.size()))
                out.replace(at, form.size(), mask);
        } else {
            replace_all_nocase(out, form);  // %2b and %2B are the same byte
        }
    }
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
