// The /_sandbox/ admin surface (no auth; the server listens on loopback only):
//   GET  /_sandbox/counters[?order-id=N]  {"counters":[{"order-id":"N","action":"backup.renew",
//                                          "received":2,"applied":1},...]}
//   GET  /_sandbox/order?order-id=N       the order's whole state, or 404
//   GET  /_sandbox/stats                  requests and connections seen
//   POST /_sandbox/reset                  back to the seed data, counters cleared
#include "sandbox/service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace rcbatch::sandbox {

namespace http = boost::beast::http;

namespace {

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
    } else if (!o.email_verification.empty()) {
        j["emailVerificationStatus"] = o.email_verification;
        j["eKYCVerificationStatus"] = o.ekyc_verification;
    }
    boost::json::array resends;
    for (auto t : o.resends) resends.emplace_back(t);
    j["resends"] = std::move(resends);
    if (o.pending) {
        boost::json::object p;
        p["eaqid"] = std::to_string(o.pending->eaqid);
        p["actiontype"] = o.pending->actiontype;
        p["invoiceid"] = std::to_string(o.pending->invoice_id);
        p["months"] = o.pending->months;
        j["pending"] = std::move(p);
    } else {
        j["pending"] = nullptr;
    }
    return j;
}

}  // namespace

Reply Service::admin(const Incoming& in, std::string_view path, const Params& params) {
    const bool get = in.method == http::verb::get;
    std::optional<std::uint64_t> order_id;
    if (auto v = params.get("order-id")) {
        order_id = parse_id(*v);
        if (!order_id) return plain_reply(http::status::bad_request, "order-id must be a number");
    }
    if (path == "/_sandbox/counters" && get) {
        boost::json::array list;
        for (const auto& [key, c] : counters_) {
            if (order_id && key.first != *order_id) continue;
            boost::json::object e;
            e["order-id"] = std::to_string(key.first);
            e["action"] = key.second;
            e["received"] = c.received;
            e["applied"] = c.applied;
            list.push_back(std::move(e));
        }
        boost::json::object r;
        r["counters"] = std::move(list);
        return json_reply(r);
    }
    if (path == "/_sandbox/order" && get) {
        if (!order_id) return plain_reply(http::status::bad_request, "order-id is required");
        const Order* o = order(*order_id);
        if (o == nullptr) return plain_reply(http::status::not_found, "no such order");
        return json_reply(order_json(*o));
    }
    if (path == "/_sandbox/stats" && get) {
        boost::json::object r;
        r["connections"] = stats_.connections;
        r["connections_rejected"] = stats_.connections_rejected;
        r["active_connections"] = stats_.active_connections;
        r["requests"] = stats_.requests;
        r["api_requests"] = stats_.api_requests;
        r["bad_requests"] = stats_.bad_requests;
        return json_reply(r);
    }
    if (path == "/_sandbox/reset" && in.method == http::verb::post) {
        reset();
        boost::json::object r;
        r["status"] = "Success";
        return json_reply(r);
    }
    for (std::string_view known : {"/_sandbox/counters", "/_sandbox/order", "/_sandbox/stats", "/_sandbox/reset"})
        if (path == known) return plain_reply(http::status::method_not_allowed, "wrong method");
    return plain_reply(http::status::not_found, "unknown admin path");
}

}  // namespace rcbatch::sandbox
