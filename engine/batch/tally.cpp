#include "engine/batch/tally.hpp"

#include <algorithm>

namespace rcbatch::engine {

void Tally::add(const OrderResult& r) {
    ++orders_;
    ++counts_[static_cast<std::size_t>(r.outcome) % counts_.size()];
    if (is_failure(r.outcome)) ++failed_;
    const auto attempts = static_cast<std::uint64_t>(std::max(0, r.attempts));
    attempts_ += attempts;
    retries_ += static_cast<std::uint64_t>(std::max(0, r.retries));
    if (attempts > 0) latency_.add(r.latency);
}

std::uint64_t Tally::count(Outcome o) const noexcept {
    return counts_[static_cast<std::size_t>(o) % counts_.size()];
}

}  // namespace rcbatch::engine
