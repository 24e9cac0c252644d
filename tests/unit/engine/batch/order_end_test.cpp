#include "engine/batch/order_end.hpp"

#include <doctest/doctest.h>

namespace order_end_test {

using namespace rcbatch::engine;

TEST_SUITE("order end") {
    TEST_CASE("how an order that did not end by its own result is recorded") {
        struct Row {
            const char* name;
            OrderEnd end;
            bool in_doubt;
            Outcome outcome;
            const char* message;
        };
        const Row rows[] = {
            {"deadline, nothing sent", OrderEnd::deadline, false, Outcome::transient,
             "order deadline (300 ms) passed"},
            {"deadline after a change left", OrderEnd::deadline, true, Outcome::unknown,
             "order deadline (300 ms) passed; a mutating request may have been processed"},
            {"cancelled", OrderEnd::cancelled, false, Outcome::cancelled,
             "cancelled: the run was stopped (SIGINT)"},
            {"cancelled after a change left", OrderEnd::cancelled, true, Outcome::cancelled,
             "cancelled: the run was stopped (SIGINT); a mutating request may have been processed"},
            {"internal error", OrderEnd::internal_error, false, Outcome::transient,
             "internal error (a bug, please report it): boom"},
            {"internal error after a change left", OrderEnd::internal_error, true, Outcome::unknown,
             "internal error (a bug, please report it): boom"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            OrderResult r;
            r.outcome = Outcome::ok;
            r.message = "the order's own";
            r.order_id = "1";
            apply_order_end(r, row.end, row.in_doubt, std::chrono::milliseconds(300), "SIGINT",
                            "boom");
            CHECK(r.outcome == row.outcome);
            CHECK(r.message == row.message);
            CHECK(r.order_id.empty());  // the batch fills the target's in
        }
        OrderResult own;
        own.outcome = Outcome::ok;
        own.message = "kept";
        apply_order_end(own, OrderEnd::done, true, std::chrono::milliseconds(1), "", "");
        CHECK(own.outcome == Outcome::ok);
        CHECK(own.message == "kept");
    }
}

}  // namespace order_end_test
