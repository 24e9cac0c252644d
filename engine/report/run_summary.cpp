#include "engine/report/run_summary.hpp"

#include <boost/json/serialize.hpp>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {

std::string text_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool flag_of(const json::object& o, std::string_view key, bool otherwise) {
    const json::value* v = o.if_contains(key);
    return v && v->is_bool() ? v->get_bool() : otherwise;
}

const json::object* object_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace

RunSummary RunSummary::read(json::object summary) {
    RunSummary s;
    const json::object& o = summary;
    s.job = text_of(o, "job");
    s.action = text_of(o, "action");
    s.declaration = text_of(o, "declaration");
    s.account = text_of(o, "account");
    s.environment = text_of(o, "environment");
    s.command = text_of(o, "command");
    s.stop_reason = text_of(o, "stop_reason");
    s.stop_message = text_of(o, "stop_message");
    s.started = text_of(o, "started");
    s.finished = text_of(o, "finished");
    s.reports = text_of(o, "reports");
    s.plan = member_text(o, "plan");
    s.count_mismatch = member_text(o, "count_mismatch");
    s.excluded_text = text_of(o, "excluded_text");
    s.estimate_text = text_of(o, "estimate_text");
    s.charged_text = text_of(o, "charged_text");
    s.orders = member_count(o, "orders").value_or(0);
    s.failed = member_count(o, "failed").value_or(0);
    s.attempts = member_count(o, "attempts").value_or(0);
    s.retries = member_count(o, "retries").value_or(0);
    s.connections_opened = member_count(o, "connections_opened").value_or(0);
    s.sessions = member_count(o, "sessions").value_or(1);
    if (const json::object* outcomes = object_of(o, "outcomes"))
        for (std::size_t i = 0; i < outcomes_in_report_order.size(); ++i)
            s.outcomes[i] =
                member_count(*outcomes, to_string(outcomes_in_report_order[i])).value_or(0);
    s.wall_time_ms = member_count(o, "wall_time_ms");
    s.orders_per_second = member_number(o, "orders_per_second");
    if (const json::object* l = object_of(o, "latency_us"))
        s.latency_us = LatencyFigures{member_number(*l, "p50"), member_number(*l, "p95"),
                                      member_number(*l, "p99"), member_number(*l, "max"),
                                      member_number(*l, "mean")};
    s.complete = flag_of(o, "complete", true);
    s.dry_run = flag_of(o, "dry_run", false);
    s.json = std::move(summary);
    return s;
}

std::uint64_t RunSummary::count(Outcome o) const noexcept {
    for (std::size_t i = 0; i < outcomes_in_report_order.size(); ++i)
        if (outcomes_in_report_order[i] == o) return outcomes[i];
    return 0;
}

json::object RunSummary::outcomes_json() const {
    json::object o;
    for (std::size_t i = 0; i < outcomes_in_report_order.size(); ++i)
        o[to_string(outcomes_in_report_order[i])] = outcomes[i];
    return o;
}

json::object without_computed_members(json::object summary) {
    for (std::string_view computed : computed_summary_members) summary.erase(computed);
    return summary;
}

std::optional<std::uint64_t> member_count(const json::object& object,
                                          std::string_view key) noexcept {
    const json::value* v = object.if_contains(key);
    if (v && v->is_uint64()) return v->get_uint64();
    if (v && v->is_int64() && v->get_int64() >= 0)
        return static_cast<std::uint64_t>(v->get_int64());
    return std::nullopt;
}

std::string member_text(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    if (v->is_string()) return std::string(v->get_string());
    return json::serialize(*v);
}

double member_number(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_double()) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    return 0;
}

}  // namespace rcbatch::engine
