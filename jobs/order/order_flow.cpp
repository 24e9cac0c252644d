#include "jobs/order/order_flow.hpp"

#include "jobs/api/reply_reader.hpp"
#include "jobs/api/result_fields.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace rcbatch::jobs {

const char* const unknown_outcome_message =
    "the request may have been applied but its answer was lost; not sent again - check the "
    "order before running it again";

bool says_already_pending(const std::string& message) {
    return matches_any(message, {"already an action pending"});
}

namespace {
using engine::Outcome;

// The order id in a domains/orderid.json reply: a bare number or a string of digits.
std::optional<std::string> order_id_of(const boost::json::value& v) {
    if (v.is_int64() && v.as_int64() > 0) return std::to_string(v.as_int64());
    if (v.is_uint64() && v.as_uint64() > 0) return std::to_string(v.as_uint64());
    if (v.is_string()) {
        std::string_view text = v.as_string();
        if (parse_order_id(text)) return std::string(text);
    }
    return std::nullopt;
}
}  // namespace

OrderFlow::OrderFlow(const ActionSpec& spec, const FlowSettings& settings, TargetContext target,
                     std::string order_id, std::vector<CallParam> params)
    : spec_(spec),
      behaviour_(behaviour_of(spec)),
      settings_(settings),
      target_(std::move(target)),
      order_id_(std::move(order_id)),
      params_(std::move(params)) {
    result_.action = std::string(spec.name);
    if (!target_.error.empty()) {
        finish(Outcome::not_run, target_.error);
        return;
    }
    if (!target_.duplicate_of.empty()) {
        finish_duplicate(target_.duplicate_of, "duplicate of " + target_.duplicate_of);
        return;
    }
    if (target_.intent && !target_.intent->order_id.empty()) order_id_ = target_.intent->order_id;
    if (order_id_.empty()) {
        step_ = Step::resolve;
        return;
    }
    with_order();
}

void OrderFlow::resolved(const Answer& a) {
    if (!fed_at(Step::resolve, "resolved")) return;
    std::optional<std::string> id;
    if (a.outcome == Outcome::ok) id = order_id_of(a.value);
    if (!id) return finish_from(a, "no order id for " + target_.given + " in the API's answer");
    order_id_ = *id;
    with_order();
}

void OrderFlow::duplicate(const std::string& of) { finish_duplicate(of, "duplicate of " + of); }

void OrderFlow::finish_duplicate(const std::string& first, std::string message) {
    result_.fields["duplicate_of"] = first;
    finish(Outcome::skipped, std::move(message));
}

void OrderFlow::with_order() {
    result_.order_id = order_id_;
    if (target_.intent) {
        in_doubt(true, target_.intent->server_at, target_.intent->state, "");
        return;
    }
    begin_preflight();
}

void OrderFlow::begin_preflight() {
    // A plan reads the order even with the preflight off: the end time it shows and the state
    // `run --plan` compares come from that read. Only the preflight skips. A fenced change
    // always reads: its fence is a field of the read.
    if (reader_of(spec_) &&
        (settings_.preflight || settings_.dry_run || !behaviour_.fences.empty())) {
        phase_ = Phase::preflight;
        step_ = Step::read_order;
        return;
    }
    before_send();
}

void OrderFlow::order_read(const Answer& a, std::int64_t now) {
    if (!fed_at(Step::read_order, "order_read")) return;
    const boost::json::object* details = a.outcome == Outcome::ok ? a.value.if_object() : nullptr;
    if (phase_ == Phase::doubt) {
        if (!details) return finish_unknown("re-reading the order failed: " + a.message, &a);
        return compare_state(*details);
    }
    if (!details) return finish_from(a, "the order's details are not an object");
    judge_order(*details, now);
}

void OrderFlow::judge_order(const boost::json::object& details, std::int64_t now) {
    PreflightVerdict verdict =
        judge(spec_, order_id_, details, settings_.preflight_options, now, params_);
    if (!settings_.preflight) verdict.proceed = true;
    state_ = verdict.state;
    result_.fields["status"] = state_->status;
    result_.fields["endtime_before"] = state_->endtime;
    if (const auto* plan = details.if_contains("planid");
        plan && plan->is_string() && !plan->get_string().empty())
        result_.fields["planid"] = *plan;  // for the estimate of what a renewal costs
    if (target_.planned) {
        if (auto stale = staleness(*target_.planned, *state_))
            return finish(Outcome::skipped, "stale: " + *stale);
    }
    if (!verdict.proceed)
        return finish(verdict.refused ? Outcome::api_error : Outcome::skipped, verdict.reason);
    if (!add_fences()) return;
    before_send();
}

// Each fence sends a field of the read as a parameter (a renew's exp-date <- endtime): the API
// refuses the change when the order moved since, so a replay cannot apply twice.
bool OrderFlow::add_fences() {
    for (const auto& fence : behaviour_.fences) {
        const std::string& param = fence.first;
        const std::string value = state_value(*state_, fence.second);
        if (value.empty()) {
            finish(Outcome::api_error, "no " + fence.second +
                                           " in the order's details to send as " + param +
                                           "; not sent");
            return false;
        }
        std::erase_if(params_, [&](const CallParam& p) { return p.name == param; });
        params_.push_back({param, value});
    }
    return true;
}

// A change looks at the account's recent actions, then claims the order in the ledger, then
// leaves; a plan goes through the same looks without recording or sending anything.
void OrderFlow::before_send() {
    phase_ = Phase::send;
    if (spec_.mutating) {
        step_ = settings_.action_guard ? Step::check_actions : Step::claim;
        return;
    }
    if (settings_.dry_run) return describe();
    step_ = Step::send;
}

void OrderFlow::describe() {
    describe_ = true;
    const std::string text = behaviour_.plan_text ? behaviour_.plan_text(params_, state_)
                                                  : "read (" + std::string(spec_.name) + ")";
    finish(Outcome::ok, text);
}

void OrderFlow::actions_looked(const ActionsLook& look) {
    if (!fed_at(Step::check_actions, "actions_looked")) return;
    if (look.readable) {
        look_ = PreSendLook{{}, look.whole_lists, look.newest_added};
        for (const LoggedAction& a : look.entries)
            if (!a.eaqid.empty()) look_->eaqids.insert(a.eaqid);
        look_server_now_ = look.server_now;
        guard_hit_ = recent_change(look.entries, order_id_, settings_.log_types,
                                   look.server_now - settings_.repeat_guard.count());
    }
    step_ = Step::claim;
}

// "renewed 3 h ago by another client (action 700000079, Success)".
std::string OrderFlow::guard_message(const std::string& made_by) const {
    std::string verb(behaviour_.done_verb);
    if (verb.empty()) verb = "changed (" + std::string(spec_.name) + ")";
    const LoggedAction& a = *guard_hit_;
    const std::string ago =
        a.added == 0 ? "recently"
                     : hours_text(std::max<std::int64_t>(0, look_server_now_ - a.added)) + " ago";
    const std::string status = bare_status(a);
    return verb + " " + ago + " by " + (made_by.empty() ? "another client" : made_by) +
           " (action " + a.eaqid + (status.empty() ? "" : ", " + status) + "; repeat-guard " +
           hours_text(settings_.repeat_guard.count()) + ")";
}

bool claim_lets_send(const ClaimAnswer& c, bool guard_hit) {
    return c.error.empty() && c.granted && !c.dead && !guard_hit;
}

void OrderFlow::claimed(const ClaimAnswer& c, std::int64_t now) {
    if (!fed_at(Step::claim, "claimed")) return;
    if (!c.error.empty()) return finish(Outcome::not_run, "not sent: " + c.error);
    if (c.dead) return settle_dead(*c.dead);
    if (!c.granted && c.duplicate) return finish_duplicate("another target of this run", c.refusal);
    if (!c.granted) return finish(c.doubt ? Outcome::unknown : Outcome::skipped, c.refusal);
    if (guard_hit_) return finish(Outcome::skipped, guard_message(c.made_by));
    if (settings_.dry_run) return describe();
    intent_at_ = now;
    intent_server_at_ = c.server_at;
    step_ = Step::send;
}

void OrderFlow::sent(const Answer& a, std::int64_t now) {
    if (!fed_at(Step::send, "sent")) return;
    if (!spec_.mutating) {
        finish_from(a);
        if (a.outcome == Outcome::ok)
            for (auto& [key, value] : pick_fields(spec_, a.value, spec_.secret_output))
                result_.fields[key] = value;
        return;
    }
    ++sends_;
    if (intent_at_ == 0) intent_at_ = now;
    if (a.outcome == Outcome::ok) return judge_change(a);
    if (a.outcome == Outcome::ambiguous)
        return in_doubt(false, intent_server_at_, state_, a.message);
    // An earlier attempt (this session's, an earlier session's or a dead run's) may have left
    // the pending action the API names.
    const bool sent_before = sends_ > 1 || target_.intent || dead_ || settled_;
    if (a.outcome == Outcome::api_error && sent_before && says_already_pending(a.message)) {
        result_.http_status = a.http_status;
        return finish_applied("the earlier request left a pending action", true);
    }
    // The API refuses a stale fence, so a refused resend may be the first attempt's success:
    // the state read now tells, never the refusal's words (api.md §7).
    if (a.outcome == Outcome::api_error && sent_before && !behaviour_.fences.empty() &&
        behaviour_.state_evidence && !refused_resend_) {
        refused_resend_ = a;
        return in_doubt(false, intent_server_at_, state_, "the resend was refused: " + a.message);
    }
    finish_from(a);
}

void OrderFlow::judge_change(const Answer& a) {
    const ChangeReply reply =
        behaviour_.judge_reply ? behaviour_.judge_reply(a.value) : ChangeReply{};
    if (reply.kind == ChangeReply::Kind::not_an_action) {
        std::string shown = boost::json::serialize(a.value);
        if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
        return in_doubt(false, intent_server_at_, state_, "the reply is not an action: " + shown);
    }
    finish_from(a);
    if (reply.kind == ChangeReply::Kind::failed) {
        // Not done, whatever the HTTP status: the API's own words, like any refusal.
        result_.outcome = Outcome::api_error;
        result_.message = reply.status;
        if (!reply.eaqid.empty()) result_.fields["eaqid"] = reply.eaqid;
        return;
    }
    for (auto& [key, value] : pick_fields(spec_, a.value, spec_.secret_output))
        result_.fields[key] = value;
    const bool pending = reply.kind == ChangeReply::Kind::pending;
    result_.fields["change"] = pending ? "pending" : "applied";
    if (pending)
        result_.message =
            "pending: " + (reply.status.empty() ? std::string("awaiting the API") : reply.status) +
            (reply.eaqid.empty() ? "" : " (action " + reply.eaqid + ")");
}

void OrderFlow::waited() {
    if (!fed_at(Step::wait, "waited")) return;
    doubt_.waited = true;
    check_log();
}

void OrderFlow::stopped(const std::string& why) {
    result_.fields["change"] = "in doubt";
    finish(Outcome::cancelled, "may have been applied; " + why + " (run --resume checks it)");
}

// A feeder called at another step than its own is a bug in the caller: the order ends
// `unknown` (a human checks it), never a step taken on an answer to another question.
bool OrderFlow::fed_at(Step expected, std::string_view feeder) {
    if (step_ == expected) return true;
    if (step_ != Step::done)
        finish(Outcome::unknown, "internal error: the order flow was given " + std::string(feeder) +
                                     " at step " + std::string(to_string(step_)) + " (expected " +
                                     std::string(to_string(expected)) +
                                     "); check the order by hand");
    return false;
}

void OrderFlow::finish(Outcome outcome, std::string message) {
    result_.outcome = outcome;
    result_.message = std::move(message);
    step_ = Step::done;
}

void OrderFlow::finish_from(const Answer& a, const std::string& if_ok) {
    result_.outcome = a.outcome;
    result_.http_status = a.http_status;
    result_.message = a.message;
    result_.latency = a.latency;
    result_.retry_stop = a.outcome == Outcome::ok ? std::string() : a.retry_stop;
    if (a.outcome == Outcome::ok && !if_ok.empty()) {
        result_.outcome = Outcome::api_error;
        result_.message = if_ok;
    }
    step_ = Step::done;
}

std::string_view to_string(OrderFlow::Step step) noexcept {
    using Step = OrderFlow::Step;
    switch (step) {
        case Step::resolve:
            return "resolve";
        case Step::read_order:
            return "read_order";
        case Step::read_log:
            return "read_log";
        case Step::check_actions:
            return "check_actions";
        case Step::claim:
            return "claim";
        case Step::send:
            return "send";
        case Step::wait:
            return "wait";
        case Step::done:
            return "done";
    }
    return "?";
}

}  // namespace rcbatch::jobs
