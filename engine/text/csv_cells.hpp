#pragma once
// What a CSV cell may hold when a person opens the file in a spreadsheet (README "Reports and
// outcomes"): support staff open results.csv in Excel or LibreOffice, where a cell that starts
// with '=' is a formula, and the API's and a target file's texts are untrusted.

#include <string>
#include <string_view>

namespace rcbatch::engine {

// How results.csv and plan.csv write their cells.
enum class CsvCells {
    safe,  // spreadsheet-safe (the default): spreadsheet_safe() on every cell, header too
    raw,   // exactly as they came, for machines (`--csv raw`, `csv = "raw"`)
};

// "safe" or "raw".
std::string_view to_string(CsvCells cells) noexcept;

// `text` as a spreadsheet shows it harmlessly (OWASP's rule for CSV injection): a leading `'`
// when it starts with '=', '+', '-', '@', a tab or a CR and is not a number, and control,
// bidi and invalid UTF-8 bytes escaped as engine::printable() does. Pure.
std::string spreadsheet_safe(std::string_view text);

// Whether `text` is a plain decimal number: an optional sign, digits with at most one '.',
// an optional exponent ("-42.000", "+1e5"; not "-", "1,000" or "0x10").
bool is_plain_number(std::string_view text) noexcept;

}  // namespace rcbatch::engine
