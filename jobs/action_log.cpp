#include "jobs/action_log.hpp"

#include "jobs/reply_reader.hpp"
#include "jobs/text_fields.hpp"

#include <string_view>

namespace rcbatch::jobs {

namespace {
// A field that the API sends as a string or, now and then, as a number.
std::string loose_field(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    return {};
}
}  // namespace

ActionLogPage parse_action_log_page(const boost::json::value& reply,
                                    const ActionLogOptions& options, bool current) {
    ActionLogPage page;
    const auto* o = reply.if_object();
    const auto total = o ? parse_whole(loose_field(*o, "recsindb")) : std::nullopt;
    if (!total || *total < 0) {
        page.error = "the action log's reply is not a search reply (no recsindb)";
        return page;
    }
    page.total = static_cast<std::uint64_t>(*total);
    for (const auto& [key, value] : *o) {
        if (!parse_whole(key) || !value.is_object()) continue;
        const auto& e = value.get_object();
        LoggedAction a;
        a.eaqid = loose_field(e, options.id_field);
        a.order_id = loose_field(e, options.order_field);
        a.type = loose_field(e, options.type_field);
        a.status = loose_field(e, options.status_field);
        const std::string desc = loose_field(e, options.status_desc_field);
        if (!desc.empty()) a.status = a.status.empty() ? desc : a.status + ": " + desc;
        a.added = parse_whole(loose_field(e, options.added_field)).value_or(0);
        a.current = current;
        page.entries.push_back(std::move(a));
    }
    return page;
}

std::optional<LoggedAction> find_change(const std::vector<LoggedAction>& log,
                                        const std::string& order_id,
                                        const std::vector<std::string>& types, std::int64_t since,
                                        std::chrono::seconds clock_skew) {
    std::optional<LoggedAction> newest;
    for (const LoggedAction& a : log) {
        if (!a.order_id.empty() && a.order_id != order_id) continue;
        bool typed = false;
        for (const std::string& t : types)
            typed = typed || (t.size() == a.type.size() && istarts_with(a.type, t));
        if (!typed) continue;
        if (a.added != 0 && a.added < since - clock_skew.count()) continue;
        if (!newest || a.added > newest->added) newest = a;
    }
    return newest;
}

bool logged_as_failed(const LoggedAction& action) {
    return matches_any(action.status, {"fail", "cancel", "reject", "declin", "error"});
}

}  // namespace rcbatch::jobs
