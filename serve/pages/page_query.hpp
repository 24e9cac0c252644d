#pragma once
// A request's target read for the pages: its path segments and query values, decoded. The
// target is untrusted: it never names a file, only a route and the values a page asks the
// ledger for. Pure.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::serve {

struct PageQuery {
    std::vector<std::string> segments;          // "/run/12/files/x" -> {"run", "12", "files", "x"}
    std::map<std::string, std::string> values;  // the first of each name

    // The value of `name`, "" when absent.
    const std::string& value(const std::string& name) const;
};

// The longest query value a page takes; a longer one is refused.
constexpr std::size_t max_query_value_bytes = 512;

// Parses an origin-form target ("/runs?job=x"); nullopt with `error` set (one line, no echo
// of the target) when it is not one, a segment or value is not valid UTF-8 or holds a control
// character, or a value is longer than max_query_value_bytes.
std::optional<PageQuery> parse_page_query(std::string_view target, std::string& error);

// A whole positive number (a run's id, a page's "before"): nullopt for anything else.
std::optional<std::int64_t> whole_number(std::string_view text);

// "2026-12-07" as the Unix seconds of that day's start (UTC); nullopt when it is not a date.
std::optional<std::int64_t> day_start(std::string_view text);

}  // namespace rcbatch::serve
