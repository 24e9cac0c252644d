// Domain endpoints: search, details, order id by name, NIXI verification resend.
#include "engine/text/ascii_case.hpp"
#include "sandbox/api/api.hpp"
#include "sandbox/api/search.hpp"
#include "sandbox/api/service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>

namespace rcbatch::sandbox {

namespace {

bool is_nixi(const Order& o) { return !o.email_verification.empty(); }

}  // namespace

Reply domain_search(Context& ctx) {
    auto parsed = parse_search(ctx.params, true);
    if (!parsed.query) return api_error(parsed.error);
    if (ctx.service.options().faults.ignore_order_ids) parsed.query->order_ids.clear();
    SearchScope scope{ctx.service.credentials().userid, OrderKind::domain, ""};
    ctx.applied = true;
    return json_reply(run_search(ctx.service.data(), *parsed.query, scope));
}

Reply domain_details(Context& ctx) {
    Reply error;
    const Order* o = find_order(ctx, "order-id", false, error);
    if (o == nullptr) return error;
    boost::json::object r;
    r["orderid"] = std::to_string(o->id);
    r["entityid"] = std::to_string(o->id);
    r["domainname"] = o->description;
    r["description"] = o->description;
    r["currentstatus"] = o->status;
    r["productkey"] = o->product_key;
    r["endtime"] = std::to_string(o->end_time);
    r["creationtime"] = std::to_string(o->creation_time);
    r["customerid"] = std::to_string(o->customer_id);
    r["autorenew"] = o->auto_renew ? "true" : "false";
    boost::json::array orderstatus;
    if (o->status == "Active") orderstatus.emplace_back("resellerlock");
    if (o->theft_protection) orderstatus.emplace_back("transferlock");
    r["orderstatus"] = std::move(orderstatus);
    for (std::size_t i = 0; i < o->name_servers.size(); ++i)
        r["ns" + std::to_string(i + 1)] = o->name_servers[i];
    r["noOfNameServers"] = std::to_string(o->name_servers.size());
    r["isprivacyprotected"] = o->privacy ? "true" : "false";
    r["privacyprotectedallowed"] = o->privacy_allowed ? "true" : "false";
    r["domainstatus"] = boost::json::array{};
    r["raaVerificationStatus"] = "Verified";
    if (is_nixi(*o)) {
        r["emailVerificationStatus"] = o->email_verification;
        r["eKYCVerificationStatus"] = o->ekyc_verification;
    }
    ctx.applied = true;
    return json_reply(r);
}

Reply domain_orderid(Context& ctx) {
    auto name = ctx.params.get("domain-name");
    if (!name) return api_error("Required parameter missing: domain-name");
    const auto& index = ctx.service.data().by_domain;
    auto it = index.find(engine::ascii_lower(*name));
    if (it == index.end()) return api_error(msg::website_missing(name->substr(0, 253)));
    const Order* o = ctx.service.order(it->second);
    if (o == nullptr || o->reseller_id != ctx.service.credentials().userid)
        return api_error(msg::not_allowed);
    ctx.applied = true;
    return Reply{boost::beast::http::status::ok, "application/json", std::to_string(o->id), {}};
}

Reply nixi_resend(Context& ctx) {
    Reply error;
    Order* o = find_order(ctx, "order-id", false, error);
    if (o == nullptr) return error;
    if (!is_nixi(*o)) return api_error(msg::resend_not_nixi);
    if (o->status == "InActive" || o->status == "Deleted") return api_error(msg::resend_inactive);
    if (o->ekyc_verification == "Pending Partner Confirmation")
        return api_error(msg::resend_ekyc_in_progress);
    o->resends.push_back(ctx.service.clock_now());
    ctx.applied = true;
    boost::json::object r;
    r["status"] = "Success";
    r["message"] = msg::resend_sent;
    return json_reply(r);
}

}  // namespace rcbatch::sandbox
