#include "jobs/order/lookahead_source.hpp"

#include <algorithm>
#include <utility>

namespace rcbatch::jobs {

LookaheadSource::LookaheadSource(engine::TargetSource& source, std::size_t window)
    : source_(source), window_(std::max<std::size_t>(window, 1)) {}

void LookaheadSource::fill() {
    try {
        while (!ended_ && ahead_.size() < window_) {
            std::optional<engine::Target> t = source_.next();
            if (!t) {
                ended_ = true;
                break;
            }
            ahead_.push_back(std::move(*t));
        }
    } catch (...) {
        // A source that fails while a worker reads ahead fails the batch where it pulls.
        ended_ = true;
        failure_ = std::current_exception();
    }
}

std::optional<engine::Target> LookaheadSource::next() {
    if (ahead_.empty()) fill();
    if (ahead_.empty() && failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    if (ahead_.empty()) return std::nullopt;
    engine::Target t = std::move(ahead_.front());
    ahead_.pop_front();
    return t;
}

std::vector<std::string> LookaheadSource::upcoming(
    std::size_t n, const std::function<bool(const std::string&)>& skip) {
    fill();
    std::vector<std::string> ids;
    for (const engine::Target& t : ahead_) {
        if (ids.size() >= n) break;
        if (t.id.empty() || skip(t.id)) continue;
        if (std::find(ids.begin(), ids.end(), t.id) == ids.end()) ids.push_back(t.id);
    }
    return ids;
}

}  // namespace rcbatch::jobs
