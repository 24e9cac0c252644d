#pragma once
// "Did you mean ...?" for a mistyped key or value.

#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::engine {

// The candidate closest to `word` within a small edit distance, or "" when none is close;
// never `word` itself.
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace rcbatch::engine
