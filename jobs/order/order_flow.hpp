#pragma once
// One order's life as a state machine without I/O (the habit of boostorg/redis's exec_fsm):
// given what the last step returned, it says what to do next — resolve a domain name, read
// the order, read its action log, claim the change in the ledger, send, wait — and at the end
// the order's record. order_runner.cpp performs the steps it asks for; nothing here waits,
// reads a clock or touches the network, so every path is unit-tested step by step.

#include "engine/batch/order_result.hpp"
#include "engine/defaults.hpp"
#include "engine/outcome.hpp"
#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/action_rules.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/evidence/action_log.hpp"
#include "jobs/order/preflight.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// What one call gave the flow: how it ended, and the reply when it was ok.
struct Answer {
    engine::Outcome outcome = engine::Outcome::not_run;
    std::string message;  // the API's, else the transport's
    int http_status = 0;
    std::chrono::milliseconds latency{0};
    boost::json::value value;
    std::string retry_stop =
        {};  // why its retries stopped, when it failed (engine::to_string(RetryStop))
};

// What the action log gave: its entries, or why it could not be read.
struct LogAnswer {
    Answer failure;  // outcome ok when the log was read
    std::vector<LoggedAction> entries;
};

// What the account's action lists showed of one order at the last look before its change
// (account_actions.hpp).
struct ActionsLook {
    bool readable = false;              // false: they cannot be read; the ledger guards alone
    std::vector<LoggedAction> entries;  // the order's actions on the lists, of any type
    bool whole_lists = false;           // both lists were read whole
    std::int64_t newest_added = 0;      // the newest added time on the lists; 0: none
    std::int64_t server_now = 0;        // the look's time on the server's clock (else local)
};

// An earlier session's change on this order that has no final result (run --resume).
struct EarlierIntent {
    std::string order_id;
    std::int64_t at = 0;              // when it was about to leave (Unix seconds)
    std::optional<OrderState> state;  // what preflight read before it; none without preflight
    std::optional<std::int64_t> server_at = {};  // `at` on the server's clock, when known
};

// Another run's open intent on the order (in the ledger), left by a run that no longer exists
// (its job lock is free: killed and never resumed). The flow settles it from the evidence
// before a change of its own may leave.
struct DeadIntent {
    std::int64_t change = 0;  // the ledger's row, closed with the verdict
    std::string job, folder;  // of the run that left it, for messages
    EarlierIntent intent;     // its time, and what its preflight read (from its journal)
};

// How a dead run's intent was settled, for the ledger: its row closed with `outcome` ("ok"
// applied or pending, "not_run" not applied, "unknown") and the evidence.
struct IntentVerdict {
    std::int64_t change = 0;
    std::string outcome;
    std::string evidence;
};

// What the ledger said about a change about to leave.
struct ClaimAnswer {
    bool granted = true;
    std::string refusal;  // why not, when not: another run's change
    std::string error;    // the ledger or the journal cannot be written: nothing may leave
    std::optional<DeadIntent> dead = {};  // not granted: a dead run's open intent to settle first
    bool doubt = false;      // not granted for another run's `unknown` change: in doubt here too
    bool duplicate = false;  // not granted: another target of this run reached the order first
    // The rcbatch run whose change carries the action the repeat guard found ("job J (FOLDER)"),
    // or empty: another client's (actions_looked).
    std::string made_by = {};
    // The claim's time on the server's clock; nullopt while no reply has shown it (Date).
    std::optional<std::int64_t> server_at = {};
};

// What the selection and the run folder say about one target, beside its id.
struct TargetContext {
    std::string given;                    // as the user gave it
    std::string error;                    // it cannot run (a bad line of a target file)
    std::string duplicate_of;             // "line 4": an earlier target names the same order
    std::optional<EarlierIntent> intent;  // run --resume
    std::optional<OrderState> planned;    // run --plan: the state the plan saw
    std::vector<CallParam> params;        // the order's own parameters (a target file's cells)
    std::vector<std::pair<std::string, std::string>> kept;  // [targets] keep-columns, for reports
};

struct FlowSettings {
    bool preflight = true;      // read the order before a change, and skip what needs nothing
    bool dry_run = false;       // a plan: read, judge, describe; send no change
    bool repeat_resend = true;  // a resend whose answer was lost may go again
    PreflightOptions preflight_options;
    bool action_log = true;              // read the action log after a lost answer
    std::vector<std::string> log_types;  // the change's action types in the log
    // An action counts as evidence this much before the intent on the server's clock.
    std::chrono::seconds clock_skew = defaults::clock_skew;
    // Look at the account's recent actions before a change (the repeat guard every actor
    // shares): an action of the change's types within `repeat_guard` skips the order.
    bool action_guard = false;
    std::chrono::seconds repeat_guard = defaults::repeat_guard;
    std::chrono::milliseconds settle = defaults::reconcile_settle;
    int max_sends = 5;  // times one change may be sent, the first included
    // rcbatch settle: an earlier session's intent is decided from the evidence and nothing is
    // sent; "not applied" ends `not_run`, which a --resume sends.
    bool settle_only = false;
};

class OrderFlow {
  public:
    enum class Step { resolve, read_order, read_log, check_actions, claim, send, wait, done };

    // `order_id` is empty when the target is a domain name still to resolve.
    OrderFlow(const ActionSpec& spec, const FlowSettings& settings, TargetContext target,
              std::string order_id, std::vector<CallParam> params);

    Step step() const noexcept { return step_; }
    // Step::wait: how long.
    std::chrono::milliseconds wait_time() const noexcept { return settings_.settle; }
    const std::string& order_id() const noexcept { return order_id_; }
    const std::vector<CallParam>& params() const noexcept { return params_; }
    // Whether the order continues this run's own intent from an earlier session (--resume).
    bool continues_intent() const noexcept { return target_.intent.has_value(); }
    // At Step::read_order: the read is the preflight's, before any change (not a re-read of
    // a change in doubt), so it may come from a batched read.
    bool reads_before_change() const noexcept { return phase_ == Phase::preflight; }
    // What preflight read, for the intent line.
    const std::optional<OrderState>& state() const noexcept { return state_; }
    // At Step::claim: the recent change of another actor the look showed, if any.
    const std::optional<LoggedAction>& guard_hit() const noexcept { return guard_hit_; }
    // At Step::read_log: the intent's time on the server's clock, when known (an action added
    // from it on, less the clock skew, is placed after it).
    std::optional<std::int64_t> evidence_since() const noexcept {
        return doubt_.bound.server_since;
    }
    // At Step::done of a plan: the record wants the request it would send.
    bool describes_request() const noexcept { return describe_; }
    // At Step::claim: a dead run's intent this flow found not applied, for the ledger to close
    // before it grants the claim; null when there is none.
    const IntentVerdict* settled_intent() const noexcept { return settled_ ? &*settled_ : nullptr; }

    // Feed the step asked for. `now` is Unix seconds.
    void resolved(const Answer& a);
    void duplicate(const std::string& of);  // after resolve: another target is the same order
    // Skipped as a repeat of `first`: the record says so (duplicate_of), and the ledger's
    // settle leaves the first target's change alone.
    void finish_duplicate(const std::string& first, std::string message);
    void order_read(const Answer& a, std::int64_t now);
    void log_read(const LogAnswer& a);
    void actions_looked(const ActionsLook& look);
    void claimed(const ClaimAnswer& c, std::int64_t now);
    void sent(const Answer& a, std::int64_t now);
    void waited();
    void stopped(const std::string& why);  // the run stopped during a wait

    // At Step::done: the order's record (attempts, seq and times are the caller's).
    engine::OrderResult& result() noexcept { return result_; }

  private:
    enum class Phase { start, preflight, send, doubt };
    struct Doubt {
        bool earlier = false;  // from an earlier session (else this session's lost answer)
        EvidenceBound bound;   // what places an action after the intent
        std::optional<OrderState> baseline;
        bool waited = false;
    };

    // Whether a feeder `feeder` was called at its step `expected`; else ends the order unknown.
    bool fed_at(Step expected, std::string_view feeder);
    void with_order();
    void begin_preflight();
    void before_send();
    bool add_fences();
    void judge_order(const boost::json::object& details, std::int64_t now);
    void judge_change(const Answer& a);
    // `server_since`: the intent's time on the server's clock, when it was known.
    void in_doubt(bool earlier, std::optional<std::int64_t> server_since,
                  std::optional<OrderState> baseline, const std::string& why);
    void describe();
    std::string guard_message(const std::string& made_by) const;
    void check_log();
    void check_state();
    void compare_state(const boost::json::object& details);
    void nothing_shows(const std::string& evidence);
    void send_again();
    void after_earlier_doubt(const std::string& evidence);
    void settle_dead(const DeadIntent& dead);
    void record_settled(const std::string& outcome, const std::string& evidence);
    void finish_dead_applied(const std::string& evidence);
    void finish_dead_unknown(const std::string& why);

    void finish(engine::Outcome outcome, std::string message);
    void finish_from(const Answer& a, const std::string& if_ok = {});
    void finish_applied(const std::string& evidence, bool pending);
    void finish_unknown(const std::string& why, const Answer* failed_read = nullptr);
    bool uses_log() const;

    const ActionSpec& spec_;
    const ActionBehaviour& behaviour_;
    const FlowSettings& settings_;
    TargetContext target_;
    std::string order_id_;
    std::vector<CallParam> params_;
    Phase phase_ = Phase::start;
    Step step_ = Step::resolve;
    std::optional<OrderState> state_;
    std::int64_t intent_at_ = 0;
    std::optional<std::int64_t> intent_server_at_;
    std::optional<PreSendLook> look_;        // the account's actions at the last look
    std::optional<LoggedAction> guard_hit_;  // a recent change the look showed
    std::int64_t look_server_now_ = 0;
    int sends_ = 0;
    // A fenced change sent again after a lost answer and refused: decided from the state read
    // after it (applied: the first attempt was), else this refusal is the outcome.
    std::optional<Answer> refused_resend_;
    bool describe_ = false;
    Doubt doubt_;
    std::optional<DeadIntent> dead_;        // the dead run's intent being settled
    std::optional<IntentVerdict> settled_;  // how it was settled, when found not applied
    int dead_settled_ = 0;                  // dead intents met so far
    engine::OrderResult result_;
};

// Whether OrderFlow::claimed sends the change at once on `c` (outside a plan): granted, no
// dead run's intent to settle first, no other actor's change seen (`guard_hit`). The claim's
// disk task writes the first intent line with the claim exactly then.
bool claim_lets_send(const ClaimAnswer& c, bool guard_hit);

// The text recorded for an order whose mutating request may have been applied.
extern const char* const unknown_outcome_message;

// The step's name ("read_order"), for messages and test failures.
std::string_view to_string(OrderFlow::Step step) noexcept;

// Whether an API error answering a repeated change says the first one was applied
// ("There is already an action pending on this Order.").
bool says_already_pending(const std::string& message);

}  // namespace rcbatch::jobs
