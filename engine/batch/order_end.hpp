#pragma once
// How an order that did not end by its own result is recorded (the batch's end-of-order
// mapping): its deadline passed, the run cancelled it, or its code threw. Pure.

#include "engine/batch/order_result.hpp"

#include <chrono>
#include <string>

namespace rcbatch::engine {

enum class OrderEnd {
    done,            // the order's own result stands
    deadline,        // the order deadline passed first
    cancelled,       // the run's stop cancelled it
    internal_error,  // its code threw (a bug)
};

// Replaces `result` for every end but `done`. A change that may have left (`in_doubt`) and
// was not decided ends `unknown` (for a human) on a deadline or an internal error, and says
// so when cancelled (its intent is in the journal: --resume reconciles it), with the field
// "change" = "in doubt" so that what it may have cost is counted apart.
void apply_order_end(OrderResult& result, OrderEnd end, bool in_doubt,
                     std::chrono::milliseconds order_deadline, const std::string& stop_message,
                     const std::string& internal_error);

}  // namespace rcbatch::engine
