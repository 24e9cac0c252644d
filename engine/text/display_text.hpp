#pragma once
// Untrusted text (the API's messages, a file's contents echoed in an error, an order's target)
// made safe to show on a terminal: nothing in it can move the cursor, clear the screen, set
// the title or reorder what follows it (README "Text shown to a person").

#include <string>
#include <string_view>

namespace rcbatch::engine {

// `text` with every character that could act on a terminal escaped, the rest unchanged:
// C0 controls and DEL as \xHH (\x1b, \x0a), C1 controls U+0080..U+009F, the bidi embeddings,
// overrides and isolates U+202A..U+202E and U+2066..U+2069, and the line and paragraph
// separators U+2028/U+2029 as \uXXXX, and each byte that is not part of valid UTF-8 as \xHH.
// A backslash is left as it is. Pure; never throws but for std::bad_alloc.
std::string printable(std::string_view text);

// printable() line by line: the newlines between lines are kept, every other control escaped.
std::string printable_lines(std::string_view text);

// How much of a value a message quotes (quoted_value()): enough to recognise it.
constexpr std::size_t max_quoted_bytes = 64;

// `text` in single quotes for a message: whole when it is short, else its start, an ellipsis
// and how long it was — "'aaaaaaaa…' (921600 bytes)" — so no message echoes a whole 900 KB
// value. Cut on a UTF-8 character boundary; not escaped (printing does that). Pure.
std::string quoted_value(std::string_view text, std::size_t max_bytes = max_quoted_bytes);

// How much of one field from the API or a file a listing shows (printable_field()).
constexpr std::size_t max_field_bytes = 200;

// One untrusted field in a line a person reads (history, the money line, a report): its start,
// cut on a UTF-8 boundary, then "… (N bytes)" when it is longer than `max_bytes`, printable().
// So no field can forge a line, move the cursor or fill the screen. Pure.
std::string printable_field(std::string_view text, std::size_t max_bytes = max_field_bytes);

// Whether `code_point` is one that printable() escapes as \uXXXX (C1, bidi, separators).
bool is_unsafe_code_point(char32_t code_point) noexcept;

// The length of the valid UTF-8 sequence at the start of `text` and its code point, or 0 when
// the first byte does not start one (overlong forms and surrogates are not valid).
std::size_t utf8_sequence(std::string_view text, char32_t& code_point) noexcept;

}  // namespace rcbatch::engine
