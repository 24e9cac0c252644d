// Order suspension (LogicBoxes orders/suspend and orders/unsuspend), for a domain or backup
// order alike: suspend takes an Active order to Suspended, unsuspend a Suspended one back to
// Active. Each accepted call is recorded in the action log ("Suspend", "Unsuspend") with a fresh
// eaqid and takes effect now or later (Service::accept), as the domain changes do.
#include "sandbox/api/api.hpp"
#include "sandbox/api/changes.hpp"
#include "sandbox/api/service.hpp"

#include <boost/json/object.hpp>

namespace rcbatch::sandbox {

namespace {

// Sandbox texts [guess]: the API documents the calls, not these refusals.
constexpr std::string_view already_suspended = "The order is already suspended.";
constexpr std::string_view not_suspended = "The order is not suspended.";

// The order named by order-id, of either kind, if it exists and belongs to the reseller;
// otherwise the API's error in `error`.
Order* any_own_order(Context& ctx, Reply& error) {
    auto text = ctx.params.get("order-id");
    if (!text) {
        error = api_error("Required parameter missing: order-id");
        return nullptr;
    }
    auto id = parse_id(*text);
    if (!id) {
        error = api_error("Invalid value for order-id: " + text->substr(0, 40));
        return nullptr;
    }
    auto& orders = ctx.service.data().orders;
    auto it = orders.find(*id);
    if (it == orders.end()) {
        error = api_error(msg::no_entity(*id));
        return nullptr;
    }
    if (it->second.reseller_id != ctx.service.credentials().userid) {
        error = api_error(msg::not_allowed);
        return nullptr;
    }
    return &it->second;
}

}  // namespace

Reply orders_suspend(Context& ctx) {
    Reply error;
    Order* o = any_own_order(ctx, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;
    auto reason = ctx.params.get("reason");
    if (!reason || reason->empty()) return api_error("Required parameter missing: reason");
    if (o->status == "Suspended") return api_error(already_suspended);
    if (o->status != "Active")
        return api_error("Suspension is not allowed for an order in " + o->status + " status.");
    return accept_change(ctx, *o, "Suspend",
                         "Suspension of " + o->description + " (" + reason->substr(0, 100) + ")");
}

Reply orders_unsuspend(Context& ctx) {
    Reply error;
    Order* o = any_own_order(ctx, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;
    if (o->status != "Suspended") return api_error(not_suspended);
    return accept_change(ctx, *o, "Unsuspend", "Unsuspension of " + o->description);
}

}  // namespace rcbatch::sandbox
