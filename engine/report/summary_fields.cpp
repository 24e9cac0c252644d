#include "engine/report/summary_fields.hpp"

#include <boost/json/serialize.hpp>

namespace rcbatch::engine {

namespace json = boost::json;

std::string member_text(const json::object& summary, std::string_view key) {
    const json::value* v = summary.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    if (v->is_string()) return std::string(v->get_string());
    return json::serialize(*v);
}

double member_number(const json::object& summary, std::string_view key) {
    const json::value* v = summary.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_double()) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    return 0;
}

}  // namespace rcbatch::engine
