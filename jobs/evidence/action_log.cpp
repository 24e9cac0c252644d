#include "jobs/evidence/action_log.hpp"

#include "jobs/api/action_status.hpp"
#include "jobs/api/reply_reader.hpp"
#include "jobs/api/text_fields.hpp"

#include <algorithm>
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

bool of_types(const LoggedAction& a, const std::vector<std::string>& types) {
    for (const std::string& t : types)
        if (t.size() == a.type.size() && istarts_with(a.type, t)) return true;
    return false;
}

bool on_order(const LoggedAction& a, const std::string& order_id) {
    return a.order_id.empty() || a.order_id == order_id;
}

Placed place_by_look(const LoggedAction& a, const PreSendLook& look) {
    if (!a.eaqid.empty() && look.eaqids.contains(a.eaqid)) return Placed::before;
    if (look.whole_lists && !a.eaqid.empty()) return Placed::after;
    // The look saw every action since its window began, so one it missed that is not older
    // than the newest it saw was added after it.
    if (a.added == 0 || look.newest_added == 0) return Placed::cannot_tell;
    return a.added >= look.newest_added ? Placed::after : Placed::before;
}
}  // namespace

ListPaging after_page(std::int64_t page, std::uint64_t seen, const ActionLogPage& parsed,
                      int max_pages) {
    if (parsed.entries.empty() || seen >= parsed.total) return ListPaging::done;
    return page >= max_pages ? ListPaging::too_many_pages : ListPaging::next_page;
}

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
    std::vector<std::pair<std::int64_t, LoggedAction>> numbered;
    for (const auto& [key, value] : *o) {
        const auto n = parse_whole(key);
        if (!n || !value.is_object()) continue;
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
        a.description = loose_field(e, options.type_desc_field);
        numbered.emplace_back(*n, std::move(a));
    }
    std::stable_sort(numbered.begin(), numbered.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [n, a] : numbered) page.entries.push_back(std::move(a));
    return page;
}

Placed place(const LoggedAction& a, const EvidenceBound& bound) {
    if (bound.server_since && a.added != 0)
        return a.added >= *bound.server_since - bound.clock_skew.count() ? Placed::after
                                                                         : Placed::before;
    if (bound.look) return place_by_look(a, *bound.look);
    return Placed::cannot_tell;
}

ChangeSearch find_change(const std::vector<LoggedAction>& log, const std::string& order_id,
                         const std::vector<std::string>& types, const EvidenceBound& bound) {
    ChangeSearch s;
    for (const LoggedAction& a : log) {
        if (!on_order(a, order_id) || !of_types(a, types)) continue;
        const Placed p = place(a, bound);
        if (p == Placed::after && (!s.found || a.added > s.found->added)) s.found = a;
        if (p == Placed::cannot_tell && !s.unplaced) s.unplaced = a;
    }
    if (s.found) s.unplaced.reset();
    return s;
}

std::optional<LoggedAction> recent_change(const std::vector<LoggedAction>& log,
                                          const std::string& order_id,
                                          const std::vector<std::string>& types,
                                          std::int64_t since) {
    std::optional<LoggedAction> newest;
    for (const LoggedAction& a : log) {
        if (!on_order(a, order_id) || !of_types(a, types) || logged_as_failed(a)) continue;
        if (a.added != 0 && a.added < since) continue;
        if (!newest || a.added > newest->added) newest = a;
    }
    return newest;
}

bool logged_as_failed(const LoggedAction& action) {
    return classify_shown_status(action.status) == ActionStatus::failed;
}

std::string bare_status(const LoggedAction& action) {
    return action.status.substr(0, action.status.find(": "));
}

}  // namespace rcbatch::jobs
