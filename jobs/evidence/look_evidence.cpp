#include "jobs/evidence/look_evidence.hpp"

#include <algorithm>

namespace rcbatch::jobs {

namespace {
// eaqids as numbers where they are digits: a shorter one is smaller.
bool before_in_list(const LoggedAction& x, const LoggedAction& y) {
    if (x.current != y.current) return x.current;
    if (x.eaqid.size() != y.eaqid.size()) return x.eaqid.size() < y.eaqid.size();
    return x.eaqid < y.eaqid;
}

LookLog cannot_tell(std::string why) { return {std::nullopt, std::move(why)}; }
}  // namespace

LookLog log_from_look(const LookSighting& s, std::int64_t reach) {
    if (s.look.number == 0) return cannot_tell("no look was made");
    // An entry without an order or an id cannot be given to an order; an order's own lists
    // would have shown it to that order.
    if (s.unattributed) return cannot_tell("an action on the lists names no order or has no id");
    if (!s.look.steady) return cannot_tell("a list changed while the look read its pages");
    if (!s.look.whole) {
        // A look that stops at a page reaching back past its cutoff sees only what is newer.
        if (s.untimed) return cannot_tell("an action on the lists has no added time");
        if (s.look.cutoff > reach) return cannot_tell("the look did not reach back to the intent");
    }
    LogAnswer log;
    for (const SeenAction& seen : s.entries) {
        if (seen.seen_in >= s.look.number) {
            log.entries.push_back(seen.action);
            continue;
        }
        // Not on the lists at this look. Older than the intent, it proves nothing either way;
        // else it went missing since an earlier look (or a page shifted under the look).
        const std::int64_t added = seen.action.added;
        if (added != 0 && added < reach) continue;
        return cannot_tell("action " + seen.action.eaqid +
                           " listed by an earlier look is not on the lists now");
    }
    std::stable_sort(log.entries.begin(), log.entries.end(), before_in_list);
    log.failure.outcome = engine::Outcome::ok;
    return {std::move(log), {}};
}

}  // namespace rcbatch::jobs
