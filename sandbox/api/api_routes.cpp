#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"
#include "sandbox/data/model.hpp"

#include <unordered_map>

namespace rcbatch::sandbox {

namespace {

using boost::beast::http::verb;

std::unordered_map<std::string, Endpoint> make_routes() {
    std::unordered_map<std::string, Endpoint> routes;
    auto add = [&](std::string path, verb method, std::string_view action,
                   std::string_view id_param, std::string region, Handler handler) {
        const bool records =
            handler == backup_renew || handler == backup_delete ||
            handler == backup_install_agent || handler == domain_renew ||
            handler == domain_modify_ns || handler == domain_enable_theft_protection ||
            handler == domain_disable_theft_protection || handler == domain_modify_privacy ||
            handler == orders_suspend || handler == orders_unsuspend;
        Endpoint ep{path, method, action, id_param, std::move(region), handler, records};
        routes.emplace(std::move(path), std::move(ep));
    };
    add("/api/domains/search.json", verb::get, "domain.search", "", "", domain_search);
    add("/api/domains/details.json", verb::get, "domain.details", "order-id", "", domain_details);
    add("/api/domains/orderid.json", verb::get, "domain.orderid", "", "", domain_orderid);
    add("/api/domains/nixi/verification/resend.json", verb::post, "nixi.resend", "order-id", "",
        nixi_resend);
    add("/api/domains/renew.json", verb::post, "domain.renew", "order-id", "", domain_renew);
    add("/api/domains/modify-ns.json", verb::post, "domain.modify-ns", "order-id", "",
        domain_modify_ns);
    add("/api/domains/enable-theft-protection.json", verb::post, "domain.enable-theft-protection",
        "order-id", "", domain_enable_theft_protection);
    add("/api/domains/disable-theft-protection.json", verb::post, "domain.disable-theft-protection",
        "order-id", "", domain_disable_theft_protection);
    add("/api/domains/modify-privacy-protection.json", verb::post, "domain.privacy", "order-id", "",
        domain_modify_privacy);
    add("/api/orders/suspend.json", verb::post, "orders.suspend", "order-id", "", orders_suspend);
    add("/api/orders/unsuspend.json", verb::post, "orders.unsuspend", "order-id", "",
        orders_unsuspend);
    add("/api/products/plan-details.json", verb::get, "plan.details", "", "", plan_details);
    add("/api/actions/search-current.json", verb::get, "actions.search-current", "order-id", "",
        actions_search_current);
    add("/api/actions/search-archived.json", verb::get, "actions.search-archived", "order-id", "",
        actions_search_archived);
    for (std::string region : {"us", "asia"}) {
        for (std::string group : {"/api/backup/", "/api/backups/"}) {
            const std::string base = group + region + "/";
            add(base + "details.json", verb::get, "backup.details", "order-id", region,
                backup_details);
            add(base + "delete.json", verb::post, "backup.delete", "backup-order-id", region,
                backup_delete);
            if (group == "/api/backups/") continue;  // only details and delete are spelt so
            add(base + "search.json", verb::get, "backup.search", "", region, backup_search);
            add(base + "renew.json", verb::post, "backup.renew", "backup-order-id", region,
                backup_renew);
            add(base + "auto-login-details.json", verb::get, "backup.auto-login", "backup-order-id",
                region, backup_auto_login);
            add(base + "install-agent.json", verb::post, "backup.install-agent", "backup-order-id",
                region, backup_install_agent);
        }
    }
    add("/api/backup/install-agent.json", verb::post, "backup.install-agent", "backup-order-id",
        "us", backup_install_agent);
    return routes;
}

}  // namespace

const Endpoint* find_endpoint(std::string_view path) {
    static const std::unordered_map<std::string, Endpoint> routes = make_routes();
    auto it = routes.find(std::string(path));
    return it == routes.end() ? nullptr : &it->second;
}

Order* find_order(Context& ctx, std::string_view param, bool backup, Reply& error) {
    auto text = ctx.params.get(param);
    if (!text) {
        error = api_error("Required parameter missing: " + std::string(param));
        return nullptr;
    }
    auto id = parse_id(*text);
    if (!id) {
        error = api_error("Invalid value for " + std::string(param) + ": " + text->substr(0, 40));
        return nullptr;
    }
    auto& orders = ctx.service.data().orders;
    auto it = orders.find(*id);
    const OrderKind kind = backup ? OrderKind::backup : OrderKind::domain;
    if (it == orders.end() || it->second.kind != kind ||
        (backup && it->second.region != ctx.region)) {
        error = api_error(msg::no_entity(*id));
        return nullptr;
    }
    if (it->second.reseller_id != ctx.service.credentials().userid) {
        error = api_error(msg::not_allowed);
        return nullptr;
    }
    return &it->second;
}

}  // namespace rcbatch::sandbox
