// Acronis backup endpoints (us and asia) that change nothing, and plan details; the changes
// are in api_backup_changes.cpp.
#include "sandbox/api/api.hpp"
#include "sandbox/api/search.hpp"
#include "sandbox/api/service.hpp"
#include "sandbox/data/prng.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdio>

namespace rcbatch::sandbox {

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
    if (ctx.service.options().faults.ignore_order_ids) parsed.query->order_ids.clear();
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
    r["autoLoginUrl"] =
        "https://backup-" + std::string(ctx.region) + ".sandbox.invalid/autologin?token=" + token;
    r["orderid"] = std::to_string(o->id);
    ctx.applied = true;
    return json_reply(r);
}

Reply plan_details(Context& ctx) {
    boost::json::object r;
    for (const auto& p : ctx.service.data().plans) {
        boost::json::object plan;
        plan["plan_name"] = p.name;
        plan["plan_status"] = "Active";
        plan["storage_gb"] = std::to_string(p.storage_gb);
        if (p.price_listed) plan["price_per_month"] = format_milli(p.monthly_price_milli);
        plan["currency"] = p.currency;
        auto& group = r[p.product_key];
        if (!group.is_object()) group = boost::json::object{};
        group.as_object()[p.id] = std::move(plan);
    }
    ctx.applied = true;
    return json_reply(r);
}

}  // namespace rcbatch::sandbox
