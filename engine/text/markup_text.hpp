#pragma once
// Text made safe for HTML and XML reports: every server or user text passes through
// markup_escape after engine::redact (the caller's job: records are redacted when written, and
// again here, so a report rebuilt from an old folder hides a key registered now).

#include <cstdint>
#include <string>
#include <string_view>

namespace rcbatch::engine {

// `text` with & < > " ' escaped as entities, and every control character other than tab, LF
// and CR (which XML 1.0 cannot hold at all) replaced by U+FFFD. Safe in element text and in
// quoted attributes, for HTML and XML alike.
std::string markup_escape(std::string_view text);

// redact() then markup_escape(): what every server or user text goes through.
std::string safe_text(std::string_view text);

// At most `limit` bytes of `text` (cut at a UTF-8 character boundary), with "…" when cut.
std::string shorten(std::string_view text, std::size_t limit);

// 1234567 -> "1,234,567".
std::string grouped(std::uint64_t n);

// A number with `decimals` digits after the point ("%.*f").
std::string fixed(double v, int decimals);

}  // namespace rcbatch::engine
