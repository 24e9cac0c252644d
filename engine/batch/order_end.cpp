#include "engine/batch/order_end.hpp"

namespace rcbatch::engine {

void apply_order_end(OrderResult& result, OrderEnd end, bool in_doubt,
                     std::chrono::milliseconds order_deadline, const std::string& stop_message,
                     const std::string& internal_error) {
    const std::string doubt = in_doubt ? "; a mutating request may have been processed" : "";
    switch (end) {
        case OrderEnd::done:
            return;
        case OrderEnd::deadline:
            result = OrderResult{};
            result.outcome = in_doubt ? Outcome::unknown : Outcome::transient;
            result.message =
                "order deadline (" + std::to_string(order_deadline.count()) + " ms) passed" + doubt;
            return;
        case OrderEnd::cancelled:
            result = OrderResult{};
            result.outcome = Outcome::cancelled;
            result.message = "cancelled: the run was stopped (" + stop_message + ")" + doubt;
            if (in_doubt) result.fields["change"] = "in doubt";  // its cost is counted apart
            return;
        case OrderEnd::internal_error:
            result = OrderResult{};
            result.outcome = in_doubt ? Outcome::unknown : Outcome::transient;
            result.message = "internal error (a bug, please report it): " + internal_error;
            return;
    }
}

}  // namespace rcbatch::engine
