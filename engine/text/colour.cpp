#include "engine/text/colour.hpp"

#include <array>
#include <cctype>
#include <cstdlib>
#include <unistd.h>
#include <utility>

namespace rcbatch::engine {

namespace {

constexpr std::string_view green = "32", red = "31", yellow = "33", cyan = "36", dim = "2";

// Words whose following count is painted, beside the outcome names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> count_words{{
    {"failed", red},
    {"retrying", yellow},
}};

std::string_view sgr_of_word(std::string_view word) {
    if (auto o = outcome_from_string(word)) return outcome_sgr(*o);
    for (const auto& [name, sgr] : count_words)
        if (name == word) return sgr;
    return {};
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// At `at` (the start of a word): the length of a number that follows the word and its spaces,
// and whether it is other than 0; {0, false} when none follows.
std::pair<std::size_t, bool> count_after(std::string_view text, std::size_t at) {
    std::size_t i = at;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == at) return {0, false};
    std::size_t end = i;
    bool nonzero = false;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) {
        nonzero = nonzero || text[end] != '0';
        ++end;
    }
    if (end == i || (end < text.size() && is_word_char(text[end]))) return {0, false};
    return {end - at, nonzero};
}

// Whether `at` is the first non-blank character of its line.
bool starts_line(std::string_view text, std::size_t at) {
    std::size_t i = at;
    while (i > 0 && text[i - 1] == ' ') --i;
    return i == 0 || text[i - 1] == '\n';
}

}  // namespace

bool colour_wanted(bool is_terminal, const char* no_color) noexcept {
    return is_terminal && (no_color == nullptr || *no_color == '\0');
}

bool colour_wanted(int fd) noexcept {
    return colour_wanted(::isatty(fd) == 1, std::getenv("NO_COLOR"));
}

std::string_view outcome_sgr(Outcome o) noexcept {
    switch (o) {
        case Outcome::ok:
            return green;
        case Outcome::api_error:
        case Outcome::transient:
        case Outcome::ambiguous:
        case Outcome::fatal:
            return red;
        case Outcome::unknown:
            return yellow;
        case Outcome::skipped:
            return cyan;
        case Outcome::not_run:
        case Outcome::cancelled:
            return dim;
    }
    return {};
}

std::string paint(std::string_view text, std::string_view sgr) {
    if (sgr.empty() || text.empty()) return std::string(text);
    std::string out = "\x1b[";
    out += sgr;
    out += 'm';
    out += text;
    out += "\x1b[0m";
    return out;
}

std::string colour_outcomes(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 64);
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_word_char(text[i]) || (i > 0 && is_word_char(text[i - 1]))) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && is_word_char(text[end])) ++end;
        const std::string_view word = text.substr(i, end - i);
        const std::string_view sgr = sgr_of_word(word);
        const auto [count_len, nonzero] = count_after(text, end);
        const bool is_outcome = outcome_from_string(word).has_value();
        if (!sgr.empty() && count_len > 0 && nonzero) {
            out += paint(text.substr(i, end - i + count_len), sgr);
            i = end + count_len;
            continue;
        }
        if (!sgr.empty() && is_outcome && count_len == 0 && starts_line(text, i))
            out += paint(word, sgr);
        else
            out += word;
        i = end;
    }
    return out;
}

std::string colour_bar(std::string_view bar) {
    if (!bar.starts_with('[')) return colour_outcomes(bar);
    const std::size_t close = bar.find(']');
    if (close == std::string_view::npos) return colour_outcomes(bar);
    const std::size_t filled_end = bar.find_first_not_of('#', 1);
    std::string out = "[";
    out += paint(bar.substr(1, std::min(filled_end, close) - 1), green);
    out += bar.substr(std::min(filled_end, close), close + 1 - std::min(filled_end, close));
    out += colour_outcomes(bar.substr(close + 1));
    return out;
}

std::string colour_outcomes_if(bool on, std::string_view text) {
    return on ? colour_outcomes(text) : std::string(text);
}

}  // namespace rcbatch::engine
