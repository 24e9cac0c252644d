#pragma once
// A target file (or a search) naming one order twice: the same order with the same own
// parameters is a duplicate of the first target; with other ones it is a conflict (which
// would the order get?), never a quiet choice.

#include "jobs/select/seen_keys.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// The key two targets of one order share: "#" and its id, else the domain name in lower case.
std::string order_key(std::string_view id, std::string_view given);

class RepeatedTargets {
  public:
    explicit RepeatedTargets(std::unique_ptr<SeenKeys> index) : seen_(std::move(index)) {}

    struct Verdict {
        std::optional<std::string> first;  // where the order was first seen; none: it was not
        std::string conflict;  // with other parameters: "months: line 2 12, line 5 120; ..."
    };
    // Throws what the index throws when it cannot be written (a full temporary folder).
    Verdict see(std::string_view key, const std::string& place, const boost::json::object& params);

  private:
    std::unique_ptr<SeenKeys> seen_;
};

}  // namespace rcbatch::jobs
