#include "engine/text/csv_cells.hpp"

#include "engine/text/display_text.hpp"

namespace rcbatch::engine {

namespace {
bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

// What makes a spreadsheet read a cell as a formula (or, for a tab or CR, hide its start).
bool starts_formula(char c) noexcept {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// The digits from `at`; returns how many there were and moves `at` past them.
std::size_t skip_digits(std::string_view text, std::size_t& at) noexcept {
    const std::size_t from = at;
    while (at < text.size() && digit(text[at])) ++at;
    return at - from;
}
}  // namespace

std::string_view to_string(CsvCells cells) noexcept {
    return cells == CsvCells::raw ? "raw" : "safe";
}

bool is_plain_number(std::string_view text) noexcept {
    std::size_t at = 0;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    std::size_t digits = skip_digits(text, at);
    if (at < text.size() && text[at] == '.') {
        ++at;
        digits += skip_digits(text, at);
    }
    if (digits == 0) return false;
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
        if (skip_digits(text, at) == 0) return false;
    }
    return at == text.size();
}

std::string spreadsheet_safe(std::string_view text) {
    const bool formula = !text.empty() && starts_formula(text.front()) && !is_plain_number(text);
    return formula ? "'" + printable(text) : printable(text);
}

}  // namespace rcbatch::engine
