#pragma once
// ASCII case folding for protocol text (header names, schemes, host names, API status words,
// parameter values): the C locale's rules whatever the process locale, no allocation but
// for ascii_lower(string_view).

#include <cstddef>
#include <string>
#include <string_view>

namespace rcbatch::engine {

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

// Whether `text` starts with `prefix`, ignoring ASCII case.
constexpr bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(text[i]) != ascii_lower(prefix[i])) return false;
    return true;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && istarts_with(a, b);
}

}  // namespace rcbatch::engine
