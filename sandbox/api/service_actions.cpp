// Service: the action log, invoices, and changes that take effect later (a renew waiting for
// payment, a change held back by the apply-late fault).
#include "sandbox/api/action_log.hpp"
#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"

#include <boost/json/object.hpp>

#include <algorithm>

namespace rcbatch::sandbox {

namespace http = boost::beast::http;

namespace {

// What an accepted change does to its order.
void take_effect(Order& o, const PendingAction& p) {
    if (p.actiontype == "Renew") {
        o.end_time = add_months(o.end_time, p.months);
        ++o.renewals;
        if (o.status == "InActive") o.status = "Active";
    } else if (p.actiontype == "Delete") {
        o.status = "Deleted";
    } else if (p.actiontype == "InstallAgent") {
        o.hosting_order_id = p.hosting_order_id;
        ++o.agent_installs;
        o.hosting_order_ids.push_back(p.hosting_order_id);
    } else if (p.actiontype == "RenewDomain") {
        o.end_time = add_months(o.end_time, p.months);
        ++o.renewals;
        if (p.turn_on) o.privacy = true;  // privacy bought with the renew
    } else if (p.actiontype == "ModNS") {
        o.name_servers = p.name_servers;
    } else if (p.actiontype == "EnableTheftProtection" ||
               p.actiontype == "DisableTheftProtection") {
        o.theft_protection = p.actiontype == "EnableTheftProtection";
    } else if (p.actiontype == "ModifyPrivacyProtection") {
        o.privacy = p.turn_on;
    } else if (p.actiontype == "Suspend") {
        o.status = "Suspended";
    } else if (p.actiontype == "Unsuspend") {
        o.status = "Active";
    }
}

}  // namespace

ActionRecord& Service::record_action(const Order& o, std::string type, std::string typedesc) {
    ActionRecord a;
    a.eaqid = next_eaqid();
    a.order_id = o.id;
    a.description = o.description;
    a.actiontype = std::move(type);
    a.actiontypedesc = std::move(typedesc);
    a.added_time = clock_now();
    return data_.actions.emplace(a.eaqid, std::move(a)).first->second;
}

std::uint64_t Service::add_invoice(const Order& o, ActionRecord& rec, std::int64_t amount_milli,
                                   std::string currency, bool paid) {
    Invoice inv;
    inv.id = next_invoice_id() + 700000000;
    inv.order_id = o.id;
    inv.eaqid = rec.eaqid;
    inv.amount_milli = amount_milli;
    inv.currency = std::move(currency);
    inv.paid = paid;
    rec.invoice_id = inv.id;
    data_.invoices.emplace(inv.id, std::move(inv));
    return rec.invoice_id;
}

void Service::accept(Context& ctx, Order& o, ActionRecord& rec, PendingAction change) {
    if (change.awaiting_payment) {
        change.done_status = "Success";
        change.done_desc = rec.actiontypedesc + ": completed after invoice " +
                           std::to_string(change.invoice_id) + " was paid";
        rec.current = true;
        o.pending = std::move(change);
        ctx.deferred = true;
        return;
    }
    if (ctx.late) {
        change.done_status = rec.actionstatus;
        change.done_desc = rec.actionstatusdesc;
        rec.actionstatus = "InProcess";
        rec.actionstatusdesc = "The action is being processed";
        rec.current = true;
        held_.push_back(
            {std::chrono::steady_clock::now() + options_.faults.apply_delay, o.id, rec.eaqid});
        std::stable_sort(held_.begin(), held_.end(),
                         [](const Held& a, const Held& b) { return a.due < b.due; });
        o.pending = std::move(change);
        ctx.deferred = true;
        return;
    }
    take_effect(o, change);
    rec.current = false;
}

std::optional<std::chrono::steady_clock::time_point> Service::next_due() const {
    if (held_.empty()) return std::nullopt;
    return held_.front().due;
}

std::size_t Service::settle_due(std::chrono::steady_clock::time_point now) {
    std::size_t done = 0;
    while (!held_.empty() && held_.front().due <= now) {
        const Held h = held_.front();
        held_.erase(held_.begin());
        auto it = data_.orders.find(h.order_id);
        if (it == data_.orders.end()) continue;
        Order& o = it->second;
        if (!o.pending || o.pending->eaqid != h.eaqid || o.pending->awaiting_payment) continue;
        complete(o, o.pending->done_status, o.pending->done_desc);
        persist(o.id);
        ++done;
    }
    return done;
}

void Service::complete(Order& o, std::string status, std::string desc) {
    const PendingAction p = std::move(*o.pending);
    o.pending.reset();
    take_effect(o, p);
    if (auto a = data_.actions.find(p.eaqid); a != data_.actions.end()) {
        a->second.actionstatus = std::move(status);
        a->second.actionstatusdesc = std::move(desc);
        a->second.current = false;
    }
    ++counters_[{o.id, std::string(counter_action(p.actiontype))}].effective;
}

Reply Service::panel_renew(std::uint64_t order_id, int months, std::int64_t age) {
    auto it = data_.orders.find(order_id);
    if (it == data_.orders.end()) return plain_reply(http::status::not_found, "no such order");
    Order& o = it->second;
    if (o.pending) return plain_reply(http::status::conflict, "an action is pending on this order");
    ActionRecord& rec = record_action(
        o, "Renew",
        "Renewal of " + o.description + " for " + std::to_string(months) + " months (panel)");
    rec.added_time -= age;
    rec.actionstatus = "Success";
    rec.actionstatusdesc = "Renewal completed successfully";
    PendingAction change;
    change.actiontype = "Renew";
    change.months = months;
    take_effect(o, change);
    boost::json::object r;
    r["status"] = "Success";
    r["eaqid"] = std::to_string(rec.eaqid);
    r["endtime"] = std::to_string(o.end_time);
    return json_reply(r);
}

Reply Service::pay(std::uint64_t order_id) {
    auto it = data_.orders.find(order_id);
    if (it == data_.orders.end()) return plain_reply(http::status::not_found, "no such order");
    Order& o = it->second;
    boost::json::object r;
    r["status"] = "Success";
    r["orderid"] = std::to_string(order_id);
    if (o.pending && o.pending->awaiting_payment) {
        const std::uint64_t invoice = o.pending->invoice_id;
        if (auto inv = data_.invoices.find(invoice); inv != data_.invoices.end())
            inv->second.paid = true;
        r["invoiceid"] = std::to_string(invoice);
        r["eaqid"] = std::to_string(o.pending->eaqid);
        complete(o, o.pending->done_status, o.pending->done_desc);
        persist(order_id);
        r["applied"] = true;
        return json_reply(r);
    }
    for (auto& [id, inv] : data_.invoices) {
        if (inv.order_id != order_id || inv.paid) continue;
        inv.paid = true;
        r["invoiceid"] = std::to_string(id);
        r["eaqid"] = std::to_string(inv.eaqid);
        persist(order_id);
        r["applied"] = false;
        return json_reply(r);
    }
    return plain_reply(http::status::conflict, "no unpaid invoice on this order");
}

}  // namespace rcbatch::sandbox
