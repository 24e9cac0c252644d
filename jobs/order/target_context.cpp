#include "jobs/order/target_context.hpp"

#include "jobs/api/text_fields.hpp"
#include "jobs/select/param_cells.hpp"

namespace rcbatch::jobs {

namespace {
std::string text_member(const boost::json::object& o, std::string_view key) {
    return string_field(o, key);
}

}  // namespace

EarlierIntent earlier_intent(const boost::json::object& line) {
    EarlierIntent intent;
    intent.order_id = text_member(line, "order");
    if (const auto* at = line.if_contains("at"); at && at->is_int64()) intent.at = at->get_int64();
    if (const auto* at = line.if_contains("server_at"); at && at->is_int64())
        intent.server_at = at->get_int64();
    if (const auto* state = line.if_contains("state"); state && state->is_object())
        intent.state = saved_state(state->get_object());
    return intent;
}

TargetContext target_context(const engine::Target& target) {
    TargetContext c;
    c.given = target.given;
    const boost::json::object& extra = target.extra;
    if (extra.empty()) return c;
    c.error = text_member(extra, "error");
    c.duplicate_of = text_member(extra, "duplicate_of");
    if (const auto* intent = extra.if_contains("intent"); intent && intent->is_object())
        c.intent = earlier_intent(intent->get_object());
    if (const auto* planned = extra.if_contains("planned"); planned && planned->is_object())
        c.planned = saved_state(planned->get_object());
    if (const auto* params = extra.if_contains("params"); params && params->is_object())
        for (const auto& [name, value] : params->get_object())
            if (auto v = param_from_json(value))
                c.params.push_back({std::string(name), std::move(*v)});
    if (const auto* keep = extra.if_contains("keep"); keep && keep->is_object())
        for (const auto& [name, value] : keep->get_object())
            if (value.is_string())
                c.kept.emplace_back(std::string(name), std::string(value.get_string()));
    return c;
}

void mark_duplicate(engine::Target& target, const std::string& where) {
    target.extra["duplicate_of"] = where;
}

}  // namespace rcbatch::jobs
