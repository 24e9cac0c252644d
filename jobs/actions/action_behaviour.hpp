#pragma once
// What an action does beyond its request (DESIGN.md "Data flow"): which read checks an order
// before a change, when a change is wanted, what its reply must look like, what evidence shows
// that a change whose answer was lost was made, and how a plan describes it. Each action's
// file in jobs/actions/ fills one; the order flow reads it and never compares action names.

#include "jobs/api/request_builder.hpp"
#include "jobs/order/preflight_verdict.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// How a change's reply reads (api.md §4, §6).
struct ChangeReply {
    enum class Kind {
        applied,        // done
        pending,        // accepted, waiting (an invoice to be paid, the API's queue)
        failed,         // the action's status says it failed or was cancelled: not done
        not_an_action,  // a 2xx reply that is no answer to a change: the change is in doubt
    };
    Kind kind = Kind::not_an_action;
    std::string eaqid;   // the action's id, when the reply has one
    std::string status;  // the action's status text, for the report ("awaiting payment")
};

enum class Applied {
    yes,          // the change shows
    no,           // nothing shows
    cannot_tell,  // the evidence contradicts itself or is missing: for a human
};

struct StateEvidence {
    Applied applied = Applied::cannot_tell;
    std::string evidence;  // what decided it, for the report
};

// What a change whose answer was lost does when the API keeps no evidence of it.
enum class WithoutEvidence {
    reconcile,      // read the action log and the order (renew, delete, install-agent)
    repeat_or_ask,  // send again when the job allows it (repeat-resend), else unknown (resend)
};

struct ActionBehaviour {
    // The read-only action that reads one order (preflight, reconciliation), or empty.
    std::string_view reader;
    // Whether the change is wanted on the order whose details the reader returned, with the
    // order's parameters.
    std::function<PreflightVerdict(std::string_view order_id, const boost::json::object& details,
                                   const PreflightOptions& options, std::int64_t now,
                                   const std::vector<CallParam>& params)>
        preflight;
    // The order's state in a details reply: what preflight and reconciliation compare.
    std::function<OrderState(const boost::json::object& details, const PreflightOptions& options)>
        read_state;
    // How a 2xx reply to the change reads; null for read-only actions.
    ChangeReply (*judge_reply)(const boost::json::value& reply) = nullptr;
    // Whether the order's state shows the change, compared with the state read before it;
    // null when the state cannot show it.
    std::function<StateEvidence(const OrderState& before, const OrderState& after,
                                const std::vector<CallParam>& params)>
        state_evidence;
    // The action log's `actiontype` names of the change (api.md §6, a guess: a profile can
    // rename them); empty when the log does not list it.
    std::vector<std::string_view> log_types;
    WithoutEvidence without_evidence = WithoutEvidence::reconcile;
    // Sent again when the state, read after the settle delay, shows it not made.
    bool idempotent = false;
    // Parameters filled from the preflight's read: (parameter, field of OrderState).
    std::vector<std::pair<std::string, std::string>> fences;
    // One line for a plan: "renew 12 months: endtime 2026-12-20 -> 2027-12-20".
    std::function<std::string(const std::vector<CallParam>& params,
                              const std::optional<OrderState>& state)>
        plan_text;
    // The fields of an order's details the rules above read (action_rules.hpp read_fields).
    std::vector<std::string> read_fields;
    // The change in the past tense, for the cross-run guard's message ("renewed").
    std::string_view done_verb;
};

// The behaviour of `spec`: its own, or the one of a read-only action.
const ActionBehaviour& behaviour_of(const ActionSpec& spec);

// The action `behaviour_of(spec).reader` names, or nullptr.
const ActionSpec* reader_of(const ActionSpec& spec);

// The judge of changes answered by an action object (renew, delete): an `eaqid` or an
// `actionstatus`, read by classify_action_status (no status: applied).
ChangeReply judge_action_object(const boost::json::value& reply);
// The judge of changes answered {"status":"Success",...} (or a plain "Success..." text); an
// action object counts too.
ChangeReply judge_status_success(const boost::json::value& reply);

}  // namespace rcbatch::jobs
