#include "jobs/reconcile.hpp"

#include "jobs/reply_reader.hpp"
#include "jobs/text_fields.hpp"

#include <charconv>
#include <optional>

namespace rcbatch::jobs {

Reconciliation reconcile(const ActionSpec& spec, const OrderState& before,
                         const boost::json::object& after, bool repeat_resend) {
    const OrderState now = state_of(after);
    if (spec.name == "backup.renew") {
        auto was = parse_whole(before.endtime);
        auto is = parse_whole(now.endtime);
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
