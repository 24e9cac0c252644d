#include "jobs/reconcile.hpp"

#include "jobs/reply_reader.hpp"

#include <charconv>
#include <optional>

namespace rcbatch::jobs {

namespace {
std::optional<std::int64_t> seconds_of(const std::string& s) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return n;
}
}  // namespace

Reconciliation reconcile(const ActionSpec& spec, const OrderState& before,
                         const boost::json::object& after, bool repeat_resend) {
    const OrderState now = state_of(after);
    if (spec.name == "backup.renew") {
        auto was = seconds_of(before.endtime);
        auto is = seconds_of(now.endtime);
        if (!was || !is) return {Applied::cannot_tell, "no end time to compare"};
        if (*is > *was)
            return {Applied::yes, "end time moved " + date_of(before.endtime) + " -> " + date_of(now.endtime)};
        if (*is == *was) return {Applied::no, "end time unchanged"};
        return {Applied::cannot_tell, "end time moved back " + date_of(before.endtime) + " -> " + date_of(now.endtime)};
    }
    if (spec.name == "backup.delete") {
        if (now.status == "Deleted") return {Applied::yes, "the order is Deleted"};
        return {Applied::no, "the order is still " + now.status};
    }
    if (spec.name == "nixi.resend" && repeat_resend)
        return {Applied::no, "a resend cannot be checked; a repeat e-mail is tolerated (repeat-resend)"};
    return {Applied::cannot_tell, "this action leaves nothing to check"};
}

bool says_already_pending(const std::string& message) {
    return matches_any(message, {"already an action pending"});
}

}  // namespace rcbatch::jobs
