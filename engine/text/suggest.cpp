#include "engine/text/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace rcbatch::engine {

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}
}  // namespace

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Close enough: a third of the word may be wrong, at least one edit, at most three.
    const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        // The word itself is no suggestion ("column 'order-id' ... did you mean 'order-id'?"),
        // and one whose length is too far off cannot be close (a 900 KB word costs nothing).
        const std::size_t apart = word.size() > candidate.size() ? word.size() - candidate.size()
                                                                 : candidate.size() - word.size();
        if (candidate == word || apart > limit) continue;
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

}  // namespace rcbatch::engine
