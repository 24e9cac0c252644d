// The action log endpoints: /api/actions/search-current.json and search-archived.json.
#include "sandbox/api/action_log.hpp"
#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"

namespace rcbatch::sandbox {

namespace {

Reply action_search(Context& ctx, bool current) {
    auto parsed = parse_action_query(ctx.params);
    if (!parsed.query) return api_error(parsed.error);
    Service& svc = ctx.service;
    ctx.applied = true;
    if (svc.options().faults.hide_actions) {
        boost::json::object empty;
        empty["recsonpage"] = "0";
        empty["recsindb"] = "0";
        return json_reply(empty);
    }
    return json_reply(
        run_action_search(svc.data(), *parsed.query, svc.credentials().userid, current));
}

}  // namespace

Reply actions_search_current(Context& ctx) { return action_search(ctx, true); }

Reply actions_search_archived(Context& ctx) { return action_search(ctx, false); }

}  // namespace rcbatch::sandbox
