#include "jobs/order/batch_read_reply.hpp"

#include "jobs/actions/action_rules.hpp"
#include "jobs/api/text_fields.hpp"

#include <algorithm>
#include <set>
#include <string_view>

namespace rcbatch::jobs {

namespace {
// A search member's name in a details reply, when the two differ beyond the prefix.
std::string_view renamed(std::string_view key) {
    if (key == "entitytype.entitytypekey") return "productkey";
    return {};
}

// An id or a count sent as text or as a number.
std::optional<std::int64_t> whole_of(const boost::json::value* v) {
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= INT64_MAX) return std::int64_t(v->get_uint64());
    if (v->is_string()) return parse_whole(v->get_string());
    return std::nullopt;
}
}  // namespace

boost::json::object details_of_entry(const boost::json::object& entry) {
    boost::json::object details;
    for (const auto& [key, value] : entry)
        if (key.find('.') == std::string_view::npos) details[key] = value;
    for (const auto& [key, value] : entry) {
        const std::string_view k = key;
        const auto dot = k.rfind('.');
        if (dot == std::string_view::npos) continue;
        std::string_view name = renamed(k);
        if (name.empty()) name = k.substr(dot + 1);
        if (!details.contains(name)) details[name] = value;
        if (name == "description" && !details.contains("domainname")) details["domainname"] = value;
    }
    return details;
}

bool carries(const boost::json::object& details, const std::string& ref,
             const PreflightOptions& options) {
    std::string name = field_name(ref, options);
    if (auto bracket = name.find('['); bracket != std::string::npos) name.resize(bracket);
    if (name.ends_with('*')) {
        const std::string prefix = name.substr(0, name.size() - 1);
        return std::any_of(details.begin(), details.end(), [&](const auto& member) {
            const std::string_view key = member.key();
            return key.starts_with(prefix) && parse_whole(key.substr(prefix.size())).has_value();
        });
    }
    return details.contains(name);
}

BatchReadReply check_batch_reply(const boost::json::value& reply,
                                 const std::vector<std::string>& asked,
                                 const std::vector<std::string>& fields,
                                 const PreflightOptions& options) {
    BatchReadReply out;
    // Nothing of an untrusted answer is used: `out` keeps the reason alone.
    auto distrust = [&out](std::string why) {
        out = {};
        out.untrusted = std::move(why);
        return out;
    };
    const boost::json::object* o = reply.if_object();
    const auto on_page = o ? whole_of(o->if_contains("recsonpage")) : std::nullopt;
    const auto total = o ? whole_of(o->if_contains("recsindb")) : std::nullopt;
    if (!on_page || !total) return distrust("the answer is not a search reply");
    if (*total > std::int64_t(asked.size()) || *on_page != *total)
        return distrust("it counted " + std::to_string(*total) + " orders for " +
                        std::to_string(asked.size()) + " asked");
    const std::set<std::string_view> wanted(asked.begin(), asked.end());
    std::set<std::string> seen;
    std::int64_t entries = 0;
    for (const auto& [key, value] : *o) {
        if (key == "recsonpage" || key == "recsindb") continue;
        ++entries;
        const boost::json::object* entry = value.if_object();
        if (!entry) return distrust("its entry " + std::string(key) + " is not an object");
        boost::json::object details = details_of_entry(*entry);
        const auto id = whole_of(details.if_contains("orderid"));
        const std::string text = id ? std::to_string(*id) : std::string();
        if (!id || !wanted.contains(text))
            return distrust("it returned order " + (id ? text : std::string("(none)")) +
                            ", which was not asked for");
        if (!seen.insert(text).second) return distrust("it returned order " + text + " twice");
        auto lacking = std::find_if(fields.begin(), fields.end(), [&](const std::string& f) {
            return !carries(details, f, options);
        });
        if (lacking != fields.end()) {
            if (out.lacking_field.empty()) out.lacking_field = field_name(*lacking, options);
            out.incomplete.push_back(text);
            continue;
        }
        out.found.emplace(text, std::move(details));
    }
    if (entries != *on_page)
        return distrust("it holds " + std::to_string(entries) + " entries, not its recsonpage " +
                        std::to_string(*on_page));
    for (const std::string& id : asked)
        if (!seen.contains(id)) out.missing.push_back(id);
    return out;
}

}  // namespace rcbatch::jobs
