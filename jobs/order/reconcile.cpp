// The order flow's reconciliation (api.md §6): a change whose answer was lost, or an earlier
// session's intent with no result, is decided from the strongest evidence first — the action
// log, then the order's state, then both again after a settle delay — and sent again only
// when both show nothing. Anything undecidable ends `unknown`, for a human.
#include "jobs/order/order_flow.hpp"

namespace rcbatch::jobs {

using engine::Outcome;

bool OrderFlow::uses_log() const { return settings_.action_log && !settings_.log_types.empty(); }

void OrderFlow::in_doubt(bool earlier, std::optional<std::int64_t> server_since,
                         std::optional<OrderState> baseline, const std::string& why) {
    phase_ = Phase::doubt;
    // An earlier session's preflight read the plan: what the change costs if it was applied.
    if (baseline && !baseline->planid.empty() && !result_.fields.contains("planid"))
        result_.fields["planid"] = baseline->planid;
    EvidenceBound bound;
    bound.clock_skew = settings_.clock_skew;
    bound.server_since = server_since;
    if (!earlier) bound.look = look_;  // the look before this session's own send
    doubt_ = Doubt{earlier, std::move(bound), std::move(baseline), false};
    if (behaviour_.without_evidence == WithoutEvidence::repeat_or_ask) {
        if (!settings_.repeat_resend)
            return finish_unknown(why.empty() ? "repeat-resend = false" : why);
        return earlier ? after_earlier_doubt("a resend leaves no trace; sent again (repeat-resend)")
                       : send_again();
    }
    check_log();
}

void OrderFlow::check_log() {
    if (uses_log()) {
        step_ = Step::read_log;
        return;
    }
    check_state();
}

void OrderFlow::log_read(const LogAnswer& a) {
    if (!fed_at(Step::read_log, "log_read")) return;
    if (a.failure.outcome != Outcome::ok)
        return finish_unknown("reading the action log failed: " + a.failure.message, &a.failure);
    const ChangeSearch search =
        find_change(a.entries, order_id_, settings_.log_types, doubt_.bound);
    if (search.unplaced) {
        // It may be this change or an older one: without the server's clock or a look before
        // the send, nothing tells, and an older action proves nothing (README).
        return finish_unknown("action " + search.unplaced->eaqid + " (" + search.unplaced->type +
                              ") cannot be placed after the intent: no reply showed the "
                              "server's clock and no look at the actions was made before it");
    }
    const auto& found = search.found;
    if (!found) return check_state();
    const std::string which = "action " + found->eaqid + " (" + found->type +
                              (found->status.empty() ? "" : ", " + found->status) + ")";
    if (logged_as_failed(*found)) return finish_unknown(which + " is listed as not done");
    if (!found->eaqid.empty()) result_.fields["eaqid"] = found->eaqid;  // the ledger keeps it
    if (found->current) return finish_applied(which + " is in the current actions", true);
    finish_applied(which + " is in the archived actions", false);
}

void OrderFlow::check_state() {
    if (!behaviour_.state_evidence || !reader_of(spec_))
        return nothing_shows("the order's state cannot show it");
    if (!doubt_.baseline)
        return finish_unknown("no state was read before the change to compare with");
    step_ = Step::read_order;
}

void OrderFlow::compare_state(const boost::json::object& details) {
    const OrderState now = behaviour_.read_state
                               ? behaviour_.read_state(details, settings_.preflight_options)
                               : state_of(details);
    result_.fields["status"] = now.status;
    result_.fields["endtime_before"] = doubt_.baseline->endtime;
    if (!now.endtime.empty()) result_.fields["endtime_after"] = now.endtime;
    const StateEvidence e = behaviour_.state_evidence(*doubt_.baseline, now, params_);
    if (e.applied == Applied::yes) return finish_applied(e.evidence, false);
    if (e.applied == Applied::cannot_tell) return finish_unknown(e.evidence);
    nothing_shows(e.evidence);
}

void OrderFlow::nothing_shows(const std::string& evidence) {
    // An unchanged state is no proof: a renew may be pending or applied later (api.md §6). A
    // free change that is the same when made twice (idempotent) is sent again on the state
    // alone, after the settle delay.
    if (!uses_log() && !behaviour_.idempotent)
        return finish_unknown(evidence +
                              ", and the action log is not read, so that proves nothing");
    if (!doubt_.waited) {
        step_ = Step::wait;
        return;
    }
    if (doubt_.earlier)
        return after_earlier_doubt(evidence +
                                   (uses_log() ? ", and the action log shows nothing, after the "
                                                 "settle delay"
                                               : ", after the settle delay (the same change "
                                                 "made twice is the same)"));
    send_again();
}

void OrderFlow::send_again() {
    // Nothing shows the first attempt, and its resend was refused: that refusal is the answer.
    if (refused_resend_) return finish_from(*refused_resend_);
    if (sends_ >= settings_.max_sends)
        return finish_unknown("nothing shows it, but the attempts ran out");
    phase_ = Phase::send;
    step_ = Step::send;
}

void OrderFlow::finish_applied(const std::string& evidence, bool pending) {
    if (dead_) return finish_dead_applied(evidence);
    result_.reconciled = true;
    result_.fields["change"] = pending ? "pending" : "applied";
    const std::string what = pending ? "pending" : "applied";
    if (settings_.settle_only) return finish(Outcome::ok, what + " (settled: " + evidence + ")");
    finish(Outcome::ok, doubt_.earlier
                            ? what + " in an earlier session (reconciled: " + evidence + ")"
                            : what + " (reconciled: " + evidence + ")");
}

void OrderFlow::finish_unknown(const std::string& why, const Answer* failed_read) {
    result_.fields["change"] = "in doubt";  // what it may have cost is counted apart
    // A read cut short by the run's stop leaves the order open: the journal holds its intent,
    // so --resume reconciles it.
    if (failed_read && !engine::is_final(failed_read->outcome)) {
        return finish(failed_read->outcome,
                      "may have been applied; the run stopped before it was reconciled (" +
                          failed_read->message + ")");
    }
    if (dead_) return finish_dead_unknown(why);
    if (doubt_.earlier)
        return finish(Outcome::unknown, "a request of an earlier session may have been applied (" +
                                            why + "); not sent again - check the order");
    finish(Outcome::unknown, why.empty() ? std::string(unknown_outcome_message)
                                         : std::string(unknown_outcome_message) + " (" + why + ")");
}

}  // namespace rcbatch::jobs
