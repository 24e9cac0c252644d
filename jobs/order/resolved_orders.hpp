#pragma once
// Which target reached each order first, when targets name orders by domain name: two names
// (or a name and an id) of one order run it once. The run's io_context thread alone touches it.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

class ResolvedOrders {
  public:
    // Records that `target` reached `order_id`. Returns the target that reached it first when
    // that was another one (this one is its duplicate); nullopt when this is the first, or the
    // same target again (a resumed order resolving its own name).
    std::optional<std::string> reached(const std::string& order_id, std::string_view target);

    std::size_t size() const noexcept { return first_.size(); }

  private:
    std::map<std::string, std::string, std::less<>> first_;  // order id -> the first target
};

}  // namespace rcbatch::jobs
