#pragma once
// What every page of `rcbatch serve` shares: the document's head (the style sheet is a file of
// the site: its Content-Security-Policy forbids inline style; no page needs a script, sorting
// and filtering are links), the navigation with the search box, links and times. Every text from
// the ledger, a run folder, a job or the API reaches the page through safe_text (redacted, then
// escaped) or url_part.

#include <cstdint>
#include <string>
#include <string_view>

namespace rcbatch::serve {

// From <!DOCTYPE html> to the page's <h1>: `title` is escaped here.
std::string page_begin(std::string_view title);

// The page's end.
std::string page_end();

// `text` escaped for a path segment or a query value ("a b&c" -> "a%20b%26c").
std::string url_part(std::string_view text);

// <a href="href">text</a>: `href` is built by the caller from url_part pieces; `text` is
// untrusted and escaped here.
std::string html_link(std::string_view href, std::string_view text);

// Unix seconds as "2026-12-07 10:56:09 UTC"; "" for 0.
std::string time_text(std::int64_t unix_seconds);

// Seconds as "1 h 02 min", "3 min 05 s", "12 s".
std::string duration_text(std::int64_t seconds);

}  // namespace rcbatch::serve
