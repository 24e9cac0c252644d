#pragma once
// Finding a secret in text that changed its form on the way (README "Text shown to a
// person"): a server may echo the key uppercased, percent-encoded, JSON-escaped, or split by a
// zero-width space, an HTML tag or a control character. The text is normalised while it is
// matched, so the original span — whatever it holds — can be masked. Pure; no allocation.

#include <cstddef>
#include <string_view>

namespace rcbatch::engine {

// How a registered secret may appear in a text.
struct SecretPattern {
    std::string_view text;  // the secret as registered
    // Any ASCII case, and between two of its characters any run of controls, spaces,
    // zero-width, bidi and other invisible characters and HTML tags. Off for short secrets,
    // which innocent text could hold in another case.
    bool loose = false;
};

// Where the match of `secret` that starts at `at` ends in `text` (one past its last byte), or
// npos when none starts there. Each character of the secret may also appear percent-encoded
// (once or more, any hex case, a UTF-8 sequence too), as a JSON escape (\u0041, \/), as \xHH
// (engine::printable's form) or as an HTML character reference (&#65; &#x41; &amp;).
std::size_t secret_end(std::string_view text, std::size_t at, const SecretPattern& secret) noexcept;

// Whether a match of a secret whose first character is not `c` can still start at `c`: an
// encoded character starts with '%', '\\' or '&'.
constexpr bool starts_encoded(char c) noexcept { return c == '%' || c == '\\' || c == '&'; }

// Whether `code_point` is invisible or only separates (controls, spaces, zero-width, bidi and
// other format characters): what a loose match skips between two characters of a secret.
bool is_separator(char32_t code_point) noexcept;

}  // namespace rcbatch::engine
