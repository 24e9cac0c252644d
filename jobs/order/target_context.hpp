#pragma once
// The one place where a target's `extra` (what the selection, a plan or a resumed journal put
// beside its id in targets.jsonl) becomes typed data for the order flow, and back.

#include "engine/batch/target.hpp"
#include "jobs/order/order_flow.hpp"

namespace rcbatch::jobs {

// extra["error"], ["duplicate_of"], ["intent"] (an intent line: order, at, state) and
// ["planned"] (details keys), ["params"] (the order's own parameters) and ["keep"] (kept
// columns) as a TargetContext. Malformed members are ignored.
TargetContext target_context(const engine::Target& target);

// A journal's intent line (order, at, state) as the flow takes it.
EarlierIntent earlier_intent(const boost::json::object& line);

// Marks `target` as a duplicate of the one at `where` ("line 3", "entry 2").
void mark_duplicate(engine::Target& target, const std::string& where);

}  // namespace rcbatch::jobs
