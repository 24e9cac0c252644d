// The /_sandbox/ admin surface (no auth; the server listens on loopback only):
//   GET  /_sandbox/counters[?order-id=N]  {"counters":[{"order-id":"N","action":"backup.renew",
//                                          "received":2,"applied":1,"effective":1},...]}
//   GET  /_sandbox/order?order-id=N       the order's whole state (with "pending" and
//                                          "hosting_order_ids"), or 404
//   GET  /_sandbox/actions[?order-id=N]   every recorded action, current and archived
//   GET  /_sandbox/invoices[?order-id=N]  every invoice: id, order, amount, currency, paid
//   GET  /_sandbox/stats                  requests, connections, drops, block, TLS, peers
//   POST /_sandbox/pay?order-id=N         pays the order's pending invoice (Service::pay)
//   POST /_sandbox/panel-renew?order-id=N&months=M[&age=S]   a renew made in the reseller
//                                          panel S seconds ago (Service::panel_renew)
//   POST /_sandbox/reset                  back to the seed data, counters cleared
#include "sandbox/api/service.hpp"
#include "sandbox/server/admin_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>

namespace rcbatch::sandbox {

namespace http = boost::beast::http;

namespace {

constexpr std::array<std::string_view, 5> get_paths{"/_sandbox/counters", "/_sandbox/order",
                                                    "/_sandbox/actions", "/_sandbox/invoices",
                                                    "/_sandbox/stats"};
constexpr std::array<std::string_view, 3> post_paths{"/_sandbox/pay", "/_sandbox/reset",
                                                     "/_sandbox/panel-renew"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& paths, std::string_view path) {
    for (auto p : paths)
        if (p == path) return true;
    return false;
}

boost::json::object counters_json(const CounterMap& counters,
                                  std::optional<std::uint64_t> order_id) {
    boost::json::array list;
    for (const auto& [key, c] : counters) {
        if (order_id && key.first != *order_id) continue;
        boost::json::object e;
        e["order-id"] = std::to_string(key.first);
        e["action"] = key.second;
        e["received"] = c.received;
        e["applied"] = c.applied;
        e["effective"] = c.effective;
        list.push_back(std::move(e));
    }
    boost::json::object r;
    r["counters"] = std::move(list);
    return r;
}

}  // namespace

Reply Service::admin(const Incoming& in, std::string_view path, const Params& params) {
    std::optional<std::uint64_t> order_id;
    if (auto v = params.get("order-id")) {
        order_id = parse_id(*v);
        if (!order_id) return plain_reply(http::status::bad_request, "order-id must be a number");
    }
    const bool get = in.method == http::verb::get;
    const bool post = in.method == http::verb::post;
    if (get && among(get_paths, path)) return admin_view(path, order_id);
    if (post && path == "/_sandbox/pay") {
        if (!order_id) return plain_reply(http::status::bad_request, "order-id is required");
        return pay(*order_id);
    }
    if (post && path == "/_sandbox/panel-renew") {
        const auto months = parse_id(params.get("months").value_or(""));
        const auto age = parse_id(params.get("age").value_or("0"));
        if (!order_id || !months || *months < 1 || *months > 120 || !age)
            return plain_reply(http::status::bad_request,
                               "order-id, months (1..120) and age (seconds) are required");
        return panel_renew(*order_id, static_cast<int>(*months), static_cast<std::int64_t>(*age));
    }
    if (post && path == "/_sandbox/reset") {
        reset();
        boost::json::object r;
        r["status"] = "Success";
        return json_reply(r);
    }
    if (among(get_paths, path) || among(post_paths, path))
        return plain_reply(http::status::method_not_allowed, "wrong method");
    return plain_reply(http::status::not_found, "unknown admin path");
}

Reply Service::admin_view(std::string_view path, std::optional<std::uint64_t> order_id) const {
    if (path == "/_sandbox/counters") return json_reply(counters_json(counters_, order_id));
    if (path == "/_sandbox/actions") return json_reply(actions_json(data_, order_id));
    if (path == "/_sandbox/invoices") return json_reply(invoices_json(data_, order_id));
    if (path == "/_sandbox/stats") return json_reply(stats_json(stats_));
    if (!order_id) return plain_reply(http::status::bad_request, "order-id is required");
    const Order* o = order(*order_id);
    if (o == nullptr) return plain_reply(http::status::not_found, "no such order");
    return json_reply(order_json(*o));
}

}  // namespace rcbatch::sandbox
