// Acronis backup endpoints (us and asia) and plan details.
#include "sandbox/api.hpp"

#include "sandbox/prng.hpp"
#include "sandbox/search.hpp"
#include "sandbox/service.hpp"

#include <boost/json/object.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>

namespace rcbatch::sandbox {

namespace {

const Plan* find_plan(const Dataset& data, std::string_view id) {
    for (const auto& p : data.plans)
        if (p.id == id) return &p;
    return nullptr;
}

bool parse_bool(std::string_view s, bool& out) {
    if (s == "true") out = true;
    else if (s == "false") out = false;
    else return false;
    return true;
}

// Thousandths from "12.5", "0", "3.125"; nullopt when malformed or negative.
std::optional<std::int64_t> parse_amount_milli(std::string_view s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || !(v >= 0) || v > 1e9) return std::nullopt;
    return static_cast<std::int64_t>(v * 1000 + 0.5);
}

boost::json::object action_object(const Order& o, std::uint64_t eaqid, std::string_view type,
                                  std::string desc) {
    boost::json::object a;
    a["entityid"] = std::to_string(o.id);
    a["description"] = o.description;
    a["actiontype"] = type;
    a["actiontypedesc"] = std::move(desc);
    a["eaqid"] = std::to_string(eaqid);
    a["status"] = "Success";
    return a;
}

// A refusal common to the changing actions, or nullptr.
std::optional<Reply> refuse_change(const Order& o) {
    if (o.status == "Deleted") return api_error(msg::order_deleted);
    if (o.pending) return api_error(msg::action_pending);
    return std::nullopt;
}

}  // namespace

std::int64_t add_months(std::int64_t unix_seconds, int months) {
    using namespace std::chrono;
    const sys_seconds t{seconds(unix_seconds)};
    const sys_days day = floor<days>(t);
    const auto time_of_day = t - day;
    year_month_day ymd{day};
    year_month_day moved = ymd + std::chrono::months(months);
    if (!moved.ok()) moved = year_month_day_last(moved.year(), month_day_last(moved.month()));
    return (sys_days(moved) + time_of_day).time_since_epoch().count();
}

Reply backup_search(Context& ctx) {
    auto parsed = parse_search(ctx.params, false);
    if (!parsed.query) return api_error(parsed.error);
    SearchScope scope{ctx.service.credentials().userid, OrderKind::backup,
                      std::string(backup_product_key(ctx.region))};
    ctx.applied = true;
    return json_reply(run_search(ctx.service.data(), *parsed.query, scope));
}

Reply backup_details(Context& ctx) {
    Reply error;
    const std::string_view param = ctx.params.has("order-id") ? "order-id" : "backup-order-id";
    const Order* o = find_order(ctx, param, true, error);
    if (o == nullptr) return error;
    boost::json::object r;
    r["orderid"] = std::to_string(o->id);
    r["description"] = o->description;
    r["currentstatus"] = o->status;
    r["endtime"] = std::to_string(o->end_time);
    r["creationtime"] = std::to_string(o->creation_time);
    r["customerid"] = std::to_string(o->customer_id);
    r["planid"] = o->plan_id;
    r["storagesizegb"] = std::to_string(o->storage_gb);
    r["hostingorderid"] = std::to_string(o->hosting_order_id);
    r["productkey"] = o->product_key;
    r["autorenew"] = o->auto_renew ? "true" : "false";
    ctx.applied = true;
    return json_reply(r);
}

Reply backup_renew(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;

    auto months_text = ctx.params.get("months");
    if (!months_text) return api_error("Required parameter missing: months");
    auto months = parse_id(*months_text);
    if (!months || *months < 1 || *months > 120)
        return api_error("Invalid value for months: " + months_text->substr(0, 40));
    auto option = ctx.params.get("invoice-option");
    if (!option) return api_error("Required parameter missing: invoice-option");
    if (*option != "NoInvoice" && *option != "PayInvoice" && *option != "KeepInvoice" &&
        *option != "OnlyAdd")
        return api_error("Invalid value for invoice-option: " + option->substr(0, 40));
    auto auto_renew_text = ctx.params.get("auto-renew");
    if (!auto_renew_text) return api_error("Required parameter missing: auto-renew");
    bool auto_renew = false;
    if (!parse_bool(*auto_renew_text, auto_renew))
        return api_error("Invalid value for auto-renew: " + auto_renew_text->substr(0, 40));
    std::int64_t discount = 0;
    if (auto d = ctx.params.get("discount-amount")) {
        auto parsed = parse_amount_milli(*d);
        if (!parsed) return api_error("Invalid value for discount-amount: " + d->substr(0, 40));
        discount = *parsed;
    }

    Service& svc = ctx.service;
    const Plan* plan = find_plan(svc.data(), o->plan_id);
    const std::int64_t price =
        std::max<std::int64_t>(0, (plan ? plan->monthly_price_milli : 0) * static_cast<std::int64_t>(*months) - discount);
    const int n = static_cast<int>(*months);
    const std::uint64_t eaqid = svc.next_eaqid();
    auto a = action_object(*o, eaqid, "RenewBackup",
                           "Renewal of " + o->description + " for " + std::to_string(n) +
                               (n == 1 ? " month" : " months"));
    o->auto_renew = auto_renew;

    bool run_now = true;
    std::int64_t unpaid = 0;
    if (*option == "NoInvoice") {
        a["actionstatus"] = "Success";
        a["actionstatusdesc"] = "Renewal completed successfully";
    } else {
        const std::uint64_t invoice = svc.next_invoice_id() + 700000000;
        auto& customer = svc.data().customers[o->customer_id];
        if (*option == "KeepInvoice") {
            unpaid = price;
            a["actionstatus"] = "Success";
            a["actionstatusdesc"] = "Renewal completed; invoice " + std::to_string(invoice) + " kept for later payment";
        } else if (*option == "PayInvoice" && customer.balance_milli >= price) {
            customer.balance_milli -= price;
            a["actionstatus"] = "InvoicePaid";
            a["actionstatusdesc"] = "Invoice paid from the customer's balance; renewal completed";
        } else {
            run_now = false;
            unpaid = price;
            o->pending = PendingAction{eaqid, "RenewBackup", invoice, n};
            a["actionstatus"] = "Pending";
            a["actionstatusdesc"] = *option == "OnlyAdd"
                                        ? "Invoice " + std::to_string(invoice) + " added; the renewal runs when it is paid"
                                        : "The customer's balance does not cover invoice " + std::to_string(invoice) + "; the renewal is pending";
        }
        a["invoiceid"] = std::to_string(invoice);
        a["customerid"] = std::to_string(o->customer_id);
        a["sellingcurrencysymbol"] = "USD";
        a["sellingamount"] = format_milli(-price);
        a["unutilisedsellingamount"] = format_milli(-unpaid);
    }
    if (run_now) {
        o->end_time = add_months(o->end_time, n);
        ++o->renewals;
        if (o->status == "InActive") o->status = "Active";
    }
    ctx.applied = true;
    return json_reply(a);
}

Reply backup_delete(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    if (auto refusal = refuse_change(*o)) return *refusal;
    auto a = action_object(*o, ctx.service.next_eaqid(), "DeleteBackup", "Deletion of " + o->description);
    o->status = "Deleted";
    a["actionstatus"] = "Success";
    a["actionstatusdesc"] = "Order deleted successfully";
    ctx.applied = true;
    return json_reply(a);
}

Reply backup_auto_login(Context& ctx) {
    Reply error;
    const Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    if (o->status == "Deleted") return api_error(msg::order_deleted);
    const std::uint64_t h = hash_combine(hash_combine(mix64(ctx.service.options().seed), o->id),
                                         ctx.service.next_token());
    char token[33];
    std::snprintf(token, sizeof token, "%016llx%016llx", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(mix64(h)));
    boost::json::object r;
    r["status"] = "Success";
    r["autoLoginUrl"] = "https://backup-" + std::string(ctx.region) +
                        ".sandbox.invalid/autologin?token=" + token;
    r["orderid"] = std::to_string(o->id);
    ctx.applied = true;
    return json_reply(r);
}

Reply backup_install_agent(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "backup-order-id", true, error);
    if (o == nullptr) return error;
    auto text = ctx.params.get("hosting-order-id");
    if (!text) return api_error("Required parameter missing: hosting-order-id");
    auto hosting = parse_id(*text);
    if (!hosting || *hosting == 0) return api_error("Invalid value for hosting-order-id: " + text->substr(0, 40));
    if (o->status != "Active")
        return api_error("Agent installation is not allowed for an order in " + o->status + " status.");
    if (o->hosting_order_id != 0 && o->hosting_order_id != *hosting)
        return api_error("Hosting order " + std::to_string(*hosting) + " is not linked to this backup order.");
    o->hosting_order_id = *hosting;
    ++o->agent_installs;
    ctx.applied = true;
    boost::json::object r;
    r["status"] = "Success";
    r["message"] = "Agent installation has been initiated on hosting order " + std::to_string(*hosting);
    return json_reply(r);
}

Reply plan_details(Context& ctx) {
    boost::json::object r;
    for (const auto& p : ctx.service.data().plans) {
        boost::json::object plan;
        plan["plan_name"] = p.name;
        plan["plan_status"] = "Active";
        plan["storage_gb"] = std::to_string(p.storage_gb);
        plan["currency"] = "USD";
        plan["monthly_price"] = format_milli(p.monthly_price_milli);
        auto& group = r[p.product_key];
        if (!group.is_object()) group = boost::json::object{};
        group.as_object()[p.id] = std::move(plan);
    }
    ctx.applied = true;
    return json_reply(r);
}

}  // namespace rcbatch::sandbox
