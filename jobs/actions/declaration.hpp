#pragma once
// An action file as data (README "Action files"): what one TOML file declares, owned, before
// declared_action.hpp turns it into the ActionSpec and ActionBehaviour the run reads. The rules
// are a small vocabulary, interpreted by action_rules.hpp; nothing in a file is code.

#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/action_spec.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::jobs {

// read: GET, changes nothing. change: journaled, claimed, never sent twice without evidence.
// paid: the same, and charged; needs a fence or evidence.
enum class ActionClass { read, change, paid };

// How a reply reads: a change's action object or success text, a read's value, a search's
// pages, plan-details' plans.
enum class ReplyKind { action, success, value, search_pages, plans };

struct DeclaredParam {
    std::string name;
    ParamType type = ParamType::string;
    bool required = false;
    std::string description;
    std::vector<std::string> allowed;
    std::optional<double> min, max;
    std::optional<int> max_items;  // a list's longest
    std::string default_value;     // as a target file's cell would give it; "" none
    // The parameter is not sent but picks the path: `{name}` in it becomes the text of the
    // value ("true" -> "enable").
    std::vector<std::pair<std::string, std::string>> in_path;
};

// A field of the order's details a rule reads: "endtime"; "ns*" (ns1, ns2, ... as a set);
// "orderstatus[transferlock]" ("true" when the list holds it); "@email-verification-field"
// (the field a profile setting names). Kept as written, read by action_rules.hpp.
using FieldRef = std::string;

// One preflight rule: the order is skipped (or, under [[preflight.refuse]], failed) with
// `reason` when it holds.
struct OrderRule {
    enum class Kind {
        unless_in,       // unless = F, in = [...]: the field is none of the values
        when_in,         // when = F, in = [...]: the field is one of them
        when_equals,     // when = F, equals = P: the field already is parameter P
        when_empty,      // when-empty = [F...]: every field is empty
        unless_any_in,   // unless-any = [F...], in = [...]: no field is one of the values
        expires_within,  // expires-within = F: the job's renew-if-expires-within, on time F
        since_last,      // since-last-sent = true: the job's min-interval since the last send
    };
    Kind kind = Kind::unless_in;
    std::vector<FieldRef> fields;
    std::vector<std::string> values;
    std::string param;           // when_equals
    bool as_set = false;         // when_equals: compare = "set"
    std::string reason;          // a template (text_template.hpp)
    std::string missing_reason;  // expires_within: the field is not a time
    bool refuse = false;         // fail the order instead of skipping it
};

// Send parameter `param` with field `field` of the preflight's read (exp-date <- endtime).
struct Fence {
    std::string param;
    FieldRef field;
};

// How the order's state, read again, shows a change whose answer was lost.
struct StateRule {
    enum class Kind { moved_later, became, equals_param };
    Kind kind = Kind::moved_later;
    FieldRef field;
    std::string label;                // how the evidence names the field ("end time")
    std::vector<std::string> values;  // became
    std::string param;                // equals_param
    bool as_set = false;
};

struct Declaration {
    std::string file;    // where it was read, for messages and `rcbatch actions`
    std::string origin;  // "built-in", "user", "profile"
    std::string digest;  // "sha256:..." of the file's bytes
    bool replaces_built_in = false;

    std::string name, summary;
    ActionClass action_class = ActionClass::read;
    HttpMethod method = HttpMethod::get;
    std::string path, id_param;
    TargetKind targets = TargetKind::none;
    TargetKind lists = TargetKind::none;
    ReplyKind reply = ReplyKind::value;
    std::vector<std::string> result_fields;
    bool secret_output = false;
    bool plan_prices = false;  // estimate from plan-details' monthly prices
    std::vector<DeclaredParam> params;

    std::string reader;  // [preflight] read
    std::vector<OrderRule> order_rules;
    std::vector<Fence> fences;

    std::vector<std::string> log_types;
    WithoutEvidence without_evidence = WithoutEvidence::reconcile;
    // A free change that may be sent again when the state, read after the settle delay, shows
    // it not made (name servers, locks): setting them twice changes nothing (api.md section 7).
    bool idempotent = false;
    std::vector<StateRule> state_rules;

    std::string plan_text;  // a template
    std::string done_verb;
};

// The job keys the declaration's rules read: renew-if-expires-within, min-interval,
// repeat-resend.
std::vector<std::string> job_keys_of(const Declaration& d);

}  // namespace rcbatch::jobs
