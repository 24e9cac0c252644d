#include "jobs/order_runner.hpp"

#include "jobs/preflight.hpp"
#include "jobs/reconcile.hpp"
#include "jobs/registry.hpp"
#include "jobs/result_fields.hpp"
#include "jobs/target_file.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <chrono>

namespace rcbatch::jobs {

const char* const unknown_outcome_message =
    "the request may have been applied but its answer was lost; not sent again - check the "
    "order before running it again";

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

// The call parameters every request of the run shares.
CallParams base_call(const ActionSetup& setup) {
    CallParams call;
    call.auth_userid = setup.auth_userid;
    call.api_key = setup.api_key;
    call.post_params_in_query = setup.post_params_in_query;
    return call;
}

void count_attempts(engine::OrderResult& result, const engine::CallContext& ctx) {
    result.attempts = ctx.attempts;
    result.retries = ctx.retries;
}

// A finished call that did not give what the order needs: its outcome becomes the order's.
void fail_with(engine::OrderResult& result, const engine::CallResult& call, std::string if_ok) {
    engine::fill_from_call(result, call);
    if (call.outcome == Outcome::ok) {
        result.outcome = Outcome::api_error;
        result.message = std::move(if_ok);
    }
}

std::int64_t now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const CallParam* find_param(const std::vector<CallParam>& params, std::string_view name) {
    for (const CallParam& p : params)
        if (p.name == name) return &p;
    return nullptr;
}

// What a dry run says the action would do.
std::string plan_text(const ActionSpec& spec, const std::vector<CallParam>& params,
                      const std::optional<OrderState>& state) {
    if (spec.name == "backup.renew") {
        const CallParam* months = find_param(params, "months");
        const int n = months ? static_cast<int>(std::get<std::int64_t>(months->value)) : 0;
        std::string text = "renew " + std::to_string(n) + (n == 1 ? " month" : " months");
        if (state && !state->endtime.empty()) {
            std::int64_t end = 0;
            std::from_chars(state->endtime.data(), state->endtime.data() + state->endtime.size(), end);
            text += ": endtime " + date_of(state->endtime) + " -> " +
                    date_of(std::to_string(add_months(end, n)));
        }
        return text;
    }
    if (spec.name == "nixi.resend") return "resend the verification e-mail";
    if (spec.name == "backup.delete") return "delete";
    if (spec.name == "backup.install-agent") {
        const CallParam* hosting = find_param(params, "hosting-order-id");
        return "install the backup agent on hosting order " +
               (hosting ? std::to_string(std::get<std::int64_t>(hosting->value)) : std::string("?"));
    }
    return "read (" + std::string(spec.name) + ")";
}

// The order id of a target given by domain name. On failure `result` says why.
boost::asio::awaitable<std::optional<std::string>> resolve(const ActionSetup& setup,
                                                           const engine::Target& target,
                                                           engine::CallContext& ctx,
                                                           engine::OrderResult& result) {
    CallParams call = base_call(setup);
    call.path = setup.orderid_path;
    call.params = {{"domain-name", target.given}};
    engine::CallResult found = co_await engine::call(ctx, build_request(domain_order_id_lookup(), call),
                                                     make_interpreter(setup.reply));
    std::optional<std::string> id;
    if (found.outcome == Outcome::ok) id = order_id_of(found.verdict.value);
    if (!id) fail_with(result, found, "no order id for " + target.given + " in the API's answer");
    co_return id;
}

// Reads the order's details. nullopt when the read failed (`result` says why).
boost::asio::awaitable<std::optional<boost::json::object>> read_details(const ActionSetup& setup,
                                                                        const ActionSpec& reader,
                                                                        const std::string& order_id,
                                                                        engine::CallContext& ctx,
                                                                        engine::OrderResult& result) {
    CallParams call = base_call(setup);
    call.path = setup.details_path;
    call.order_id = order_id;
    if (reader.targets == TargetKind::domain_order)
        call.params = {{"options", std::vector<std::string>{"All"}}};
    engine::CallResult read = co_await engine::call(ctx, build_request(reader, call),
                                                    make_interpreter(setup.reply));
    if (read.outcome != Outcome::ok || !read.verdict.value.is_object()) {
        fail_with(result, read, "the order's details are not an object");
        co_return std::nullopt;
    }
    co_return std::move(read.verdict.value.as_object());
}

// Reads the order and judges it. nullopt when the read failed (`result` says why).
boost::asio::awaitable<std::optional<PreflightVerdict>> preflight(const ActionSetup& setup,
                                                                  const ActionSpec& reader,
                                                                  const std::string& order_id,
                                                                  engine::CallContext& ctx,
                                                                  engine::OrderResult& result) {
    auto details = co_await read_details(setup, reader, order_id, ctx, result);
    if (!details) co_return std::nullopt;
    co_return judge(*setup.spec, order_id, *details, setup.preflight, now_unix());
}

// A change whose answer was lost (`done` ambiguous): read the order again and decide. Sends
// the change again only when the order shows it was not applied, within the retry attempts.
// Returns the final call; sets `result` to ok (reconciled) or unknown when it decides that way.
boost::asio::awaitable<engine::CallResult> reconcile_lost_answer(
    const ActionSetup& setup, const ActionSpec& reader, const std::string& order_id,
    const OrderState& before, const engine::HttpRequest& request, engine::CallResult done,
    engine::CallContext& ctx, engine::OrderResult& result) {
    const ActionSpec& spec = *setup.spec;
    for (int round = 1; done.outcome == Outcome::ambiguous; ++round) {
        engine::OrderResult read_failure;
        auto after = co_await read_details(setup, reader, order_id, ctx, read_failure);
        if (!after) {
            result.message = std::string(unknown_outcome_message) + " (re-reading the order failed: " +
                             read_failure.message + ")";
            break;
        }
        const Reconciliation r = reconcile(spec, before, *after, setup.repeat_resend);
        if (r.applied == Applied::yes) {
            result.reconciled = true;
            result.message = "applied (reconciled: " + r.evidence + ")";
            done.outcome = Outcome::ok;
            co_return done;
        }
        if (r.applied == Applied::cannot_tell || round >= ctx.retry.attempts) {
            result.message = std::string(unknown_outcome_message) + " (" + r.evidence + ")";
            break;
        }
        done = co_await engine::call(ctx, request, make_interpreter(setup.reply));
        if (done.outcome == Outcome::api_error && says_already_pending(done.verdict.message)) {
            result.reconciled = true;
            result.message = "applied (reconciled: the earlier request left a pending action)";
            done.outcome = Outcome::ok;
            co_return done;
        }
    }
    co_return done;
}

// An order whose earlier session recorded an intent and no final result: its request may
// have been applied before the run died. Reads the order and decides like a lost answer.
// Returns true when `result` is final (applied, or cannot tell); false when nothing was
// applied and the order may run as usual.
boost::asio::awaitable<bool> settle_earlier_intent(const ActionSetup& setup, const boost::json::object& intent,
                                                   engine::CallContext& ctx, engine::OrderResult& result) {
    const ActionSpec& spec = *setup.spec;
    const ActionSpec* reader = preflight_reader(spec);
    const auto* recorded = intent.if_contains("state");
    if (!reader || !recorded || !recorded->is_object()) {
        result.outcome = Outcome::unknown;
        result.message = "a request of an earlier session may have been applied and there is no "
                         "recorded state to check it against; not sent again - check the order";
        co_return true;
    }
    engine::OrderResult read_failure;
    auto after = co_await read_details(setup, *reader, result.order_id, ctx, read_failure);
    if (!after) {
        // A stopped run leaves the intent open for the next resume; anything else is for a human.
        const bool stopped = !engine::is_final(read_failure.outcome);
        result.outcome = stopped ? read_failure.outcome : Outcome::unknown;
        result.message = "a request of an earlier session may have been applied; re-reading the order "
                         "failed (" + read_failure.message + ")" + (stopped ? "" : "; not sent again");
        co_return true;
    }
    const Reconciliation r = reconcile(spec, state_of(recorded->as_object()), *after, setup.repeat_resend);
    if (r.applied == Applied::no) co_return false;
    result.fields["status"] = state_of(*after).status;
    result.fields["endtime_before"] = state_of(recorded->as_object()).endtime;
    if (r.applied == Applied::yes) {
        result.outcome = Outcome::ok;
        result.reconciled = true;
        result.message = "applied in an earlier session (reconciled: " + r.evidence + ")";
    } else {
        result.outcome = Outcome::unknown;
        result.message = "a request of an earlier session may have been applied (" + r.evidence +
                         "); not sent again - check the order";
    }
    co_return true;
}

boost::asio::awaitable<engine::OrderResult> run_order(std::shared_ptr<const ActionSetup> setup,
                                                      engine::Target target,
                                                      engine::CallContext& ctx) {
    const ActionSpec& spec = *setup->spec;
    engine::OrderResult result;
    result.action = std::string(spec.name);
    if (const auto* error = target.extra.if_contains("error")) {
        result.outcome = Outcome::not_run;
        result.message = std::string(error->as_string());
        co_return result;
    }

    std::string order_id = target.id;
    const auto* intent = target.extra.if_contains("intent");
    if (intent && intent->is_object()) {
        if (const auto* id = intent->as_object().if_contains("order"); id && id->is_string())
            order_id = std::string(id->get_string());
    }
    if (order_id.empty()) {
        auto id = co_await resolve(*setup, target, ctx, result);
        if (!id) {
            count_attempts(result, ctx);
            co_return result;
        }
        order_id = *id;
    }
    result.order_id = order_id;
    if (intent && intent->is_object() && co_await settle_earlier_intent(*setup, intent->as_object(), ctx, result)) {
        count_attempts(result, ctx);
        co_return result;
    }

    std::optional<OrderState> state;
    const ActionSpec* reader = preflight_reader(spec);
    // A plan reads the order even with the preflight off: the end time it shows and the state
    // `run --plan` compares come from that read. Only the preflight skips.
    if (reader && (setup->preflight.enabled || setup->dry_run)) {
        auto verdict = co_await preflight(*setup, *reader, order_id, ctx, result);
        if (!verdict) {
            count_attempts(result, ctx);
            co_return result;
        }
        if (!setup->preflight.enabled) verdict->proceed = true;
        state = verdict->state;
        result.fields["status"] = state->status;
        result.fields["endtime_before"] = state->endtime;
        if (const auto* planned = target.extra.if_contains("planned"); planned && planned->is_object()) {
            std::string stale = staleness(state_of(planned->as_object()), *state);
            if (!stale.empty()) verdict = PreflightVerdict{false, "stale: " + stale, *state};
        }
        if (!verdict->proceed) {
            result.outcome = Outcome::skipped;
            result.message = verdict->reason;
            count_attempts(result, ctx);
            co_return result;
        }
    }

    CallParams call = base_call(*setup);
    call.path = setup->path;
    call.order_id = order_id;
    call.params = setup->params;
    engine::HttpRequest request = build_request(spec, call);
    if (setup->dry_run) {
        result.outcome = Outcome::ok;
        result.message = plan_text(spec, setup->params, state);
        result.fields["request"] = describe(request);
        count_attempts(result, ctx);
        co_return result;
    }
    if (spec.mutating) {
        boost::json::object intent{{"order", order_id}, {"action", spec.name}};
        if (state) intent["state"] = details_of(*state);
        ctx.intent = boost::json::serialize(intent);
        ctx.intent = ctx.intent.substr(1, ctx.intent.size() - 2);  // the members, for the engine to extend
    }
    engine::CallResult done = co_await engine::call(ctx, request, make_interpreter(setup->reply));
    if (spec.mutating && done.outcome == Outcome::ambiguous && state && reader)
        done = co_await reconcile_lost_answer(*setup, *reader, order_id, *state, request, std::move(done),
                                              ctx, result);
    const std::string reconciled_message = result.message;
    engine::fill_from_call(result, done);
    count_attempts(result, ctx);
    if (result.reconciled) {
        result.outcome = Outcome::ok;
        result.message = reconciled_message;
    } else if (done.outcome == Outcome::ok) {
        boost::json::object picked = pick_fields(spec, done.verdict.value, spec.secret_output);
        for (auto& [key, value] : picked) result.fields[key] = std::move(value);
    }
    if (spec.mutating && done.outcome == Outcome::ambiguous) {
        result.outcome = Outcome::unknown;
        result.message = reconciled_message.empty() ? unknown_outcome_message : reconciled_message;
    }
    co_return result;
}
}  // namespace

engine::Interpreter make_interpreter(const ReplyOptions& options) {
    return [&options](const engine::HttpExchange& exchange) { return read_reply(exchange, options); };
}

engine::OrderFn make_order_fn(std::shared_ptr<const ActionSetup> setup) {
    return [setup](engine::Target target, engine::CallContext& ctx) {
        return run_order(setup, std::move(target), ctx);
    };
}

}  // namespace rcbatch::jobs
