#include "jobs/select/repeated_targets.hpp"

#include "jobs/api/text_fields.hpp"
#include "jobs/select/param_cells.hpp"

#include <boost/json/parse.hpp>

namespace rcbatch::jobs {

std::string order_key(std::string_view id, std::string_view given) {
    if (!id.empty()) return "#" + std::string(id);
    std::string name(given);
    for (char& c : name) c = ascii_lower(c);
    return name;
}

RepeatedTargets::Verdict RepeatedTargets::see(std::string_view key, const std::string& place,
                                              const boost::json::object& params) {
    Verdict v;
    auto first = seen_->remember(key, place, params_key(params));
    if (!first) return v;
    v.first = first->place;
    if (first->params == params_key(params)) return v;
    boost::system::error_code ec;
    const boost::json::value earlier = boost::json::parse(first->params, ec);
    const boost::json::object none;
    for (const std::string& d : param_differences(earlier.is_object() ? earlier.get_object() : none,
                                                  first->place, params, place))
        v.conflict += (v.conflict.empty() ? "" : "; ") + d;
    return v;
}

}  // namespace rcbatch::jobs
