#include "jobs/order_runner.hpp"

#include "jobs/registry.hpp"
#include "jobs/result_fields.hpp"
#include "jobs/target_file.hpp"

#include <boost/json/value.hpp>

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
    const engine::Interpreter interpret = make_interpreter(setup->reply);
    CallParams call;
    call.auth_userid = setup->auth_userid;
    call.api_key = setup->api_key;
    call.post_params_in_query = setup->post_params_in_query;

    std::string order_id = target.id;
    if (order_id.empty()) {
        call.path = setup->orderid_path;
        call.params = {{"domain-name", target.given}};
        engine::HttpRequest lookup = build_request(domain_order_id_lookup(), call);
        engine::CallResult found = co_await engine::call(ctx, std::move(lookup), interpret);
        std::optional<std::string> id;
        if (found.outcome == Outcome::ok) id = order_id_of(found.verdict.value);
        if (!id) {
            engine::fill_from_call(result, found);
            if (found.outcome == Outcome::ok) {
                result.outcome = Outcome::api_error;
                result.message = "no order id for " + target.given + " in the API's answer";
            }
            result.attempts = ctx.attempts;
            result.retries = ctx.retries;
            co_return result;
        }
        order_id = *id;
    }
    result.order_id = order_id;

    call.path = setup->path;
    call.order_id = order_id;
    call.params = setup->params;
    engine::HttpRequest request = build_request(spec, call);
    engine::CallResult done = co_await engine::call(ctx, std::move(request), interpret);
    engine::fill_from_call(result, done);
    result.attempts = ctx.attempts;
    result.retries = ctx.retries;
    if (done.outcome == Outcome::ok)
        result.fields = pick_fields(spec, done.verdict.value, spec.secret_output);
    if (spec.mutating && done.outcome == Outcome::ambiguous) {
        result.outcome = Outcome::unknown;
        result.message = unknown_outcome_message;
    }
    co_return result;
}
}  // namespace

engine::Interpreter make_interpreter(const ReplyOptions& options) {
    return [options](const engine::HttpExchange& exchange) { return read_reply(exchange, options); };
}

engine::OrderFn make_order_fn(std::shared_ptr<const ActionSetup> setup) {
    return [setup](engine::Target target, engine::CallContext& ctx) {
        return run_order(setup, std::move(target), ctx);
    };
}

}  // namespace rcbatch::jobs
