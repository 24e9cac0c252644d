// Acronis backup changes: renew, delete, install-agent. Each accepted change is recorded in
// the action log with a fresh eaqid (the one its reply carries) and takes effect now or
// later (Service::accept).
#include "sandbox/api/api.hpp"
#include "sandbox/api/changes.hpp"
#include "sandbox/api/service.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>

namespace rcbatch::sandbox {

namespace {

struct RenewRequest {
    int months = 0;
    std::string option;  // NoInvoice, PayInvoice, KeepInvoice, OnlyAdd
    bool auto_renew = false;
    std::int64_t discount_milli = 0;
};

const Plan* find_plan(const Dataset& data, std::string_view id) {
    for (const auto& p : data.plans)
        if (p.id == id) return &p;
    return nullptr;
}

// The renew's parameters; nullopt with the API's error in `error`.
std::optional<RenewRequest> parse_renew(const Params& params, Reply& error) {
    auto fail = [&](std::string message) {
        error = api_error(message);
        return std::nullopt;
    };
    RenewRequest req;
    auto months_text = params.get("months");
    if (!months_text) return fail("Required parameter missing: months");
    auto months = parse_id(*months_text);
    if (!months || *months < 1 || *months > 120)
        return fail("Invalid value for months: " + months_text->substr(0, 40));
    req.months = static_cast<int>(*months);
    auto option = params.get("invoice-option");
    if (!option) return fail("Required parameter missing: invoice-option");
    if (!valid_invoice_option(*option))
        return fail("Invalid value for invoice-option: " + option->substr(0, 40));
    req.option = *option;
    auto auto_renew_text = params.get("auto-renew");
    if (!auto_renew_text) return fail("Required parameter missing: auto-renew");
    if (!parse_bool(*auto_renew_text, req.auto_renew))
        return fail("Invalid value for auto-renew: " + auto_renew_text->substr(0, 40));
    if (auto d = params.get("discount-amount")) {
        auto parsed = parse_amount_milli(*d);
        if (!parsed) return fail("Invalid value for discount-amount: " + d->substr(0, 40));
        req.discount_milli = *parsed;
    }
    return req;
}

}  // namespace

Reply backup_renew(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;
    auto req = parse_renew(ctx.params, error);
    if (!req) return error;

    Service& svc = ctx.service;
    const int n = req->months;
    ActionRecord& rec = svc.record_action(*o, "Renew",
                                          "Renewal of " + o->description + " for " +
                                              std::to_string(n) + (n == 1 ? " month" : " months"));
    o->auto_renew = req->auto_renew;
    PendingAction change;
    change.months = n;
    const Plan* plan = find_plan(svc.data(), o->plan_id);
    const std::int64_t price = std::max<std::int64_t>(
        0, (plan ? plan->monthly_price_milli : 0) * req->months - req->discount_milli);
    return accept_paid_change(ctx, *o, rec, std::move(change), req->option, price,
                              plan ? plan->currency : "USD");
}

Reply backup_delete(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;
    ActionRecord& rec = ctx.service.record_action(*o, "Delete", "Deletion of " + o->description);
    rec.actionstatus = "Success";
    rec.actionstatusdesc = "Order deleted successfully";
    PendingAction change;
    change.eaqid = rec.eaqid;
    change.actiontype = rec.actiontype;
    ctx.service.accept(ctx, *o, rec, std::move(change));
    ctx.applied = true;
    return json_reply(action_object(*o, rec));
}

Reply backup_install_agent(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    auto text = ctx.params.get("hosting-order-id");
    if (!text) return api_error("Required parameter missing: hosting-order-id");
    auto hosting = parse_id(*text);
    if (!hosting || *hosting == 0)
        return api_error("Invalid value for hosting-order-id: " + text->substr(0, 40));
    if (o->status != "Active")
        return api_error("Agent installation is not allowed for an order in " + o->status +
                         " status.");
    if (o->hosting_order_id != 0 && o->hosting_order_id != *hosting)
        return api_error("Hosting order " + std::to_string(*hosting) +
                         " is not linked to this backup order.");
    if (o->pending) return api_error(msg::action_pending);

    const std::string on = "hosting order " + std::to_string(*hosting);
    ActionRecord& rec =
        ctx.service.record_action(*o, "InstallAgent", "Installation of the backup agent on " + on);
    rec.actionstatus = "Success";
    rec.actionstatusdesc = "Agent installation has been initiated on " + on;
    PendingAction change;
    change.eaqid = rec.eaqid;
    change.actiontype = rec.actiontype;
    change.hosting_order_id = *hosting;
    ctx.service.accept(ctx, *o, rec, std::move(change));
    ctx.applied = true;
    boost::json::object r;
    r["status"] = "Success";
    r["message"] = "Agent installation has been initiated on " + on;
    r["eaqid"] = std::to_string(rec.eaqid);
    return json_reply(r);
}

}  // namespace rcbatch::sandbox
