#pragma once
// What a look at the account's action lists (account_actions.hpp) shows of one order in doubt,
// and whether it can stand in for reading that order's own lists (read_log): the same entries,
// so that the order flow weighs them as it weighs its own (api.md §6). Pure: no I/O.
//
// A look can stand in only when it proves it saw every action of the order that could be
// placed after the intent: it began after the order's doubt did (the caller's part); it read
// both lists back to the intent less the clock skew, as the guard's scan reads them (newest
// first in their eaqid order), or whole; no list changed its count between the pages the look
// read (an entry may have moved onto a page read before); every entry on the lists named its
// order and carried an id and an added time; and no action an earlier look listed with such a
// time has gone missing since. Anything else: the order reads its own lists.

#include "jobs/evidence/action_log.hpp"
#include "jobs/order/order_flow.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// One finished look at both lists: its place among the run's looks, and how far back it read.
struct LookMark {
    std::uint64_t number = 0;  // 1 for the run's first look
    std::int64_t cutoff = 0;   // every entry added at or after it was on a page read (server clock)
    bool whole = false;        // every page of both lists was read
    bool steady = true;        // no list's count (recsindb) changed between its pages
};

// An action as the looks saw it, with the number of the last look that listed it.
struct SeenAction {
    LoggedAction action;
    std::uint64_t seen_in = 0;
};

// What the run's looks have seen of one order, and of the lists as a whole.
struct LookSighting {
    LookMark look;                    // the look that answers the order (began after its doubt)
    std::vector<SeenAction> entries;  // the order's actions, each as last seen
    bool untimed = false;             // some entry on the lists had no added time
    bool unattributed = false;        // some entry on the lists had no id or no order
};

struct LookLog {
    std::optional<LogAnswer> answer;  // the order's entries, as read_log would give them
    std::string why_not;              // when there is no answer: why the look cannot tell
};

// The order's action log from the look, for an intent whose actions count from `reach` on
// (the intent's time on the server's clock less the clock skew): current entries first, then
// archived, each by eaqid, as the order's own lists give them. Entries older than `reach` that
// the look did not read again are left out: they cannot be placed after the intent.
LookLog log_from_look(const LookSighting& sighting, std::int64_t reach);

}  // namespace rcbatch::jobs
