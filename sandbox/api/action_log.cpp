#include "sandbox/api/action_log.hpp"

#include "sandbox/api/search.hpp"

#include <algorithm>

namespace rcbatch::sandbox {

ActionQueryParse parse_action_query(const Params& params) {
    ActionQuery q;
    if (auto e = parse_paging(params, q.per_page, q.page_no)) return {std::nullopt, *e};
    for (const auto& v : params.all("order-id")) {
        auto id = parse_id(v);
        if (!id) return {std::nullopt, "Invalid value for order-id: " + v.substr(0, 40)};
        q.order_ids.push_back(*id);
    }
    return {std::move(q), {}};
}

boost::json::object run_action_search(const Dataset& data, const ActionQuery& q,
                                      std::string_view reseller_id, bool current) {
    std::vector<const ActionRecord*> hits;
    for (const auto& [eaqid, a] : data.actions) {
        if (a.current != current) continue;
        if (!q.order_ids.empty() &&
            std::find(q.order_ids.begin(), q.order_ids.end(), a.order_id) == q.order_ids.end())
            continue;
        auto o = data.orders.find(a.order_id);
        if (o == data.orders.end() || o->second.reseller_id != reseller_id) continue;
        hits.push_back(&a);
    }
    const auto bounds = page_bounds(hits.size(), q.per_page, q.page_no);
    boost::json::object reply;
    reply["recsonpage"] = std::to_string(bounds.last - bounds.first);
    reply["recsindb"] = std::to_string(hits.size());
    for (std::size_t i = bounds.first; i < bounds.last; ++i)
        reply[std::to_string(i - bounds.first + 1)] = action_entry(*hits[i]);
    return reply;
}

boost::json::object action_entry(const ActionRecord& a) {
    boost::json::object e;
    e["eaqid"] = std::to_string(a.eaqid);
    e["entityid"] = std::to_string(a.order_id);
    e["description"] = a.description;
    e["actiontype"] = a.actiontype;
    e["actiontypedesc"] = a.actiontypedesc;
    e["actionstatus"] = a.actionstatus;
    e["actionstatusdesc"] = a.actionstatusdesc;
    e["actionaddedtime"] = std::to_string(a.added_time);
    return e;
}

std::string_view counter_action(std::string_view actiontype) noexcept {
    if (actiontype == "Renew") return "backup.renew";
    if (actiontype == "Delete") return "backup.delete";
    if (actiontype == "InstallAgent") return "backup.install-agent";
    if (actiontype == "RenewDomain") return "domain.renew";
    if (actiontype == "ModNS") return "domain.modify-ns";
    if (actiontype == "EnableTheftProtection") return "domain.enable-theft-protection";
    if (actiontype == "DisableTheftProtection") return "domain.disable-theft-protection";
    if (actiontype == "ModifyPrivacyProtection") return "domain.privacy";
    if (actiontype == "Suspend") return "orders.suspend";
    if (actiontype == "Unsuspend") return "orders.unsuspend";
    return {};
}

}  // namespace rcbatch::sandbox
