#include "sandbox/server/admin_json.hpp"

#include "sandbox/api/action_log.hpp"
#include "sandbox/api/reply.hpp"

#include <boost/json/array.hpp>

namespace rcbatch::sandbox {

namespace {

boost::json::value pending_json(const std::optional<PendingAction>& p) {
    if (!p) return nullptr;
    boost::json::object j;
    j["eaqid"] = std::to_string(p->eaqid);
    j["actiontype"] = p->actiontype;
    j["invoiceid"] = std::to_string(p->invoice_id);
    j["months"] = p->months;
    j["state"] = p->awaiting_payment ? "awaiting-payment" : "in-process";
    return j;
}

}  // namespace

boost::json::object order_json(const Order& o) {
    boost::json::object j;
    j["orderid"] = std::to_string(o.id);
    j["kind"] = o.kind == OrderKind::backup ? "backup" : "domain";
    j["productkey"] = o.product_key;
    j["region"] = o.region;
    j["description"] = o.description;
    j["currentstatus"] = o.status;
    j["endtime"] = std::to_string(o.end_time);
    j["creationtime"] = std::to_string(o.creation_time);
    j["customerid"] = std::to_string(o.customer_id);
    j["resellerid"] = o.reseller_id;
    j["autorenew"] = o.auto_renew;
    j["renewals"] = o.renewals;
    if (o.kind == OrderKind::backup) {
        j["planid"] = o.plan_id;
        j["storagesizegb"] = o.storage_gb;
        j["hostingorderid"] = std::to_string(o.hosting_order_id);
        j["agentinstalls"] = o.agent_installs;
        boost::json::array installs;
        for (auto h : o.hosting_order_ids) installs.emplace_back(std::to_string(h));
        j["hosting_order_ids"] = std::move(installs);
    } else {
        if (!o.email_verification.empty()) {
            j["emailVerificationStatus"] = o.email_verification;
            j["eKYCVerificationStatus"] = o.ekyc_verification;
        }
        boost::json::array ns;
        for (const auto& name : o.name_servers) ns.emplace_back(name);
        j["ns"] = std::move(ns);
        j["theftprotection"] = o.theft_protection;
        j["privacy"] = o.privacy;
        j["privacyallowed"] = o.privacy_allowed;
    }
    boost::json::array resends;
    for (auto t : o.resends) resends.emplace_back(t);
    j["resends"] = std::move(resends);
    j["pending"] = pending_json(o.pending);
    return j;
}

boost::json::object stats_json(const Stats& s) {
    boost::json::object r;
    r["connections"] = s.connections;
    r["connections_accepted"] = s.connections;
    r["connections_rejected"] = s.connections_rejected;
    r["drops"] = s.drops;
    r["refused_over_total"] = s.refused_over_total;
    r["blocked"] = s.blocked;
    r["blocked_requests"] = s.blocked_requests;
    r["active_connections"] = s.active_connections;
    r["max_open_connections"] = s.max_open_connections;
    r["requests"] = s.requests;
    r["api_requests"] = s.api_requests;
    r["bad_requests"] = s.bad_requests;
    r["requests_in_flight"] = s.requests_in_flight;
    r["max_requests_in_flight"] = s.max_requests_in_flight;
    r["tls_handshakes"] = s.tls_handshakes;
    r["tls_sessions_resumed"] = s.tls_sessions_resumed;
    boost::json::object peers;
    for (const auto& [address, n] : s.peers) peers[address] = n;
    r["peers"] = std::move(peers);
    return r;
}

boost::json::object actions_json(const Dataset& d, std::optional<std::uint64_t> order_id) {
    boost::json::array list;
    for (const auto& [eaqid, a] : d.actions) {
        if (order_id && a.order_id != *order_id) continue;
        auto e = action_entry(a);
        e["current"] = a.current;
        e["invoiceid"] = a.invoice_id == 0 ? "" : std::to_string(a.invoice_id);
        list.push_back(std::move(e));
    }
    boost::json::object r;
    r["actions"] = std::move(list);
    return r;
}

boost::json::object invoices_json(const Dataset& d, std::optional<std::uint64_t> order_id) {
    boost::json::array list;
    for (const auto& [id, inv] : d.invoices) {
        if (order_id && inv.order_id != *order_id) continue;
        boost::json::object e;
        e["invoiceid"] = std::to_string(id);
        e["orderid"] = std::to_string(inv.order_id);
        e["eaqid"] = std::to_string(inv.eaqid);
        e["amount"] = format_milli(-inv.amount_milli);
        e["currency"] = inv.currency;
        e["paid"] = inv.paid;
        list.push_back(std::move(e));
    }
    boost::json::object r;
    r["invoices"] = std::move(list);
    return r;
}

}  // namespace rcbatch::sandbox
