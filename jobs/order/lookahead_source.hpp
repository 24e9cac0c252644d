#pragma once
// The run's targets read a little ahead (issue #20): the batch takes them one by one as
// before, while the batched reads see the order ids of the next ones, so one search reads the
// state of many orders before their workers ask. Holds at most `window` targets: memory stays
// bounded by the window, not by the number of orders.

#include "engine/batch/target.hpp"

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

class LookaheadSource final : public engine::TargetSource {
  public:
    LookaheadSource(engine::TargetSource& source, std::size_t window);

    std::optional<engine::Target> next() override;

    // The order ids of the targets not handed out yet, first to last, at most `n`, skipping
    // those `skip` names. Reads ahead first, up to the window.
    std::vector<std::string> upcoming(std::size_t n,
                                      const std::function<bool(const std::string&)>& skip);

  private:
    void fill();

    engine::TargetSource& source_;
    std::size_t window_;
    std::deque<engine::Target> ahead_;
    bool ended_ = false;
    std::exception_ptr failure_;  // the source's, thrown by next() after the targets before it
};

}  // namespace rcbatch::jobs
