#include "jobs/order/order_runner.hpp"

#include "engine/net/server_clock.hpp"
#include "engine/store/journal_lines.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/api/result_fields.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/evidence/account_actions.hpp"
#include "jobs/evidence/log_from_look.hpp"
#include "jobs/money/charge_summary.hpp"
#include "jobs/order/batched_reads.hpp"
#include "jobs/order/end_times.hpp"
#include "jobs/order/target_context.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/select/param_cells.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

namespace rcbatch::jobs {

namespace {
using engine::Outcome;
using Step = OrderFlow::Step;

std::optional<std::int64_t> server_now(const ActionSetup& setup) {
    if (!setup.server_clock) return std::nullopt;
    return setup.server_clock->unix_at(std::chrono::system_clock::now());
}

// The account's actions at a look no older than the run allows (a plan: the read-ahead's).
boost::asio::awaitable<ActionsLook> look_at_actions(const ActionSetup& setup,
                                                    const std::string& order_id,
                                                    engine::CallContext& ctx) {
    if (!setup.actions) co_return ActionsLook{};
    const auto max_age = setup.flow.dry_run ? std::chrono::seconds(std::chrono::hours(24 * 365))
                                            : setup.log.scan_max_age;
    co_await setup.actions->look(setup, ctx, max_age);
    co_return setup.actions->look_of(order_id);
}

// A plan's claim: the same questions, read-only, on the io thread (a plan has no journal, so
// nothing else uses the ledger).
ClaimAnswer check_claim(const ActionSetup& setup, const OrderFlow& flow) {
    if (!setup.ledger) return {};
    ClaimAnswer answer =
        setup.ledger->check(flow.order_id(), *setup.spec, engine::local_unix_now());
    if (answer.granted && flow.guard_hit())
        answer.made_by = setup.ledger->made_by(flow.guard_hit()->eaqid, flow.order_id());
    return answer;
}

// The cross-run guard, on the journal's disk thread with its next group; `settled`: a dead
// run's intent the flow found not applied, for the ledger to close first. A change the
// account's actions showed is not recorded (the order is skipped): the ledger only names the
// run that made it, if one did. A change that may leave takes its first intent line (`intent`:
// the members, as call() writes them) into the same group: one transaction and one sync, and
// ctx.first_intent_on_disk tells call() not to write it again. (Named locals, not temporaries,
// around co_await: GCC 12 destroys some temporaries of a co_await twice.)
boost::asio::awaitable<ClaimAnswer> claim(const ActionSetup& setup, const OrderFlow& flow,
                                          std::optional<IntentVerdict> settled, std::string intent,
                                          std::string given, engine::CallContext& ctx) {
    if (setup.flow.dry_run) co_return check_claim(setup, flow);
    ClaimAnswer answer;
    answer.server_at = server_now(setup);
    if (!setup.ledger || !ctx.journal) co_return answer;
    auto verdict = std::make_shared<ClaimAnswer>();
    const bool guard_hit = flow.guard_hit().has_value();
    engine::DiskTask task = [ledger = setup.ledger, spec = setup.spec, order_id = flow.order_id(),
                             now = engine::local_unix_now(), settled = std::move(settled),
                             hit = guard_hit ? flow.guard_hit()->eaqid : std::string(), guard_hit,
                             continues = flow.continues_intent(), given = std::move(given),
                             line = engine::journal_intent_line(ctx.seq, 1, intent), verdict] {
        *verdict = ledger->claim(order_id, *spec, now, settled ? &*settled : nullptr, hit.empty(),
                                 continues, given);
        if (verdict->granted && !hit.empty()) verdict->made_by = ledger->made_by(hit, order_id);
        return engine::DiskTaskOutput{{},
                                      claim_lets_send(*verdict, guard_hit) ? line : std::string()};
    };
    engine::DiskTaskResult r = co_await ctx.journal->run_in_group(std::move(task));
    if (r.fault) {
        ctx.control.halt(engine::StopReason::failed, r.fault.text);
        answer.granted = false;
        answer.error = std::move(r.fault.text);
    } else {
        std::optional<std::int64_t> server_at = answer.server_at;
        answer = std::move(*verdict);
        answer.server_at = server_at;
        if (claim_lets_send(answer, guard_hit)) {
            ctx.intent = std::move(intent);
            ctx.first_intent_on_disk = true;
        }
    }
    co_return answer;
}

// The order as the flow asks for it: before a change from the run's batched reads when they
// have it, else read on its own.
boost::asio::awaitable<Answer> read_state(const ActionSetup& setup, const OrderFlow& flow,
                                          engine::CallContext& ctx) {
    if (setup.reads && flow.reads_before_change()) {
        std::optional<Answer> batched = co_await setup.reads->read(setup, flow.order_id(), ctx);
        if (batched) co_return std::move(*batched);
    }
    co_return co_await read_order(setup, flow.order_id(), ctx);
}

engine::HttpRequest change_request(const ActionSetup& setup, const OrderFlow& flow) {
    CallParams call = call_params(setup, setup.path);
    call.order_id = flow.order_id();
    call.params = flow.params();
    return build_request(*setup.spec, call);
}

// What each intent line of the change records beside type, seq and attempt: the members of a
// JSON object, for the engine to extend.
std::string intent_members(const ActionSetup& setup, const OrderFlow& flow,
                           const TargetContext& context) {
    boost::json::object intent{
        {"order", flow.order_id()}, {"action", setup.spec->name}, {"at", engine::local_unix_now()}};
    if (auto server_at = server_now(setup)) intent["server_at"] = *server_at;
    if (flow.state()) intent["state"] = details_of(*flow.state());
    if (!context.params.empty()) intent["params"] = params_json(context.params);
    std::string text = boost::json::serialize(intent);
    return text.substr(1, text.size() - 2);
}

// The order's own parameters and kept columns beside the reply's fields (a reply's field of
// the same name wins).
void add_target_columns(const TargetContext& context, engine::OrderResult& result) {
    for (const CallParam& p : context.params)
        if (!result.fields.contains(p.name)) result.fields[p.name] = param_json(p.value);
    for (const auto& [name, text] : context.kept)
        if (!result.fields.contains(name)) result.fields[name] = text;
}

// A plan's order: its estimate. A run's change (made or maybe made): what it cost, from the
// reply's invoice, else the list price (charge_summary.hpp).
void add_money(const ActionSetup& setup, const OrderFlow& flow, engine::OrderResult& result) {
    const bool plan = flow.describes_request();
    const bool change = !plan && charge_state(result) != RecordCharge::State::none;
    if (setup.prices && ((plan && result.outcome == Outcome::ok) || change))
        add_estimate(*setup.prices, flow.params(), result.fields);
    if (setup.prices && plan && result.outcome == Outcome::ok)
        apply_unpriced(setup.unpriced, *setup.prices, flow.params(), result);
    if (setup.spec->costs_money && change) add_charge_fields(flow.params(), result);
}

// A second target that resolved to an order another one reached first runs once.
void check_duplicate(const ActionSetup& setup, const std::string& given, OrderFlow& flow) {
    if (flow.step() == Step::done) return;
    if (auto first = setup.shared->resolved.reached(flow.order_id(), given))
        flow.duplicate("'" + *first + "' (the same order " + flow.order_id() + ")");
}

boost::asio::awaitable<engine::OrderResult> run_order(std::shared_ptr<const ActionSetup> setup,
                                                      engine::Target target,
                                                      engine::CallContext& ctx) {
    const TargetContext context = target_context(target);
    OrderFlow flow(*setup->spec, setup->flow, context, target.id,
                   merged_params(setup->params, context.params));
    for (;;) {
        switch (flow.step()) {
            case Step::resolve:
                flow.resolved(co_await resolve(*setup, target.given, ctx));
                check_duplicate(*setup, target.given, flow);
                break;
            case Step::read_order:
                flow.order_read(co_await read_state(*setup, flow, ctx), engine::local_unix_now());
                break;
            case Step::read_log:
                flow.log_read(
                    co_await read_log_or_look(*setup, flow.order_id(), flow.evidence_since(), ctx));
                break;
            case Step::check_actions:
                flow.actions_looked(co_await look_at_actions(*setup, flow.order_id(), ctx));
                break;
            case Step::claim: {
                std::optional<IntentVerdict> settled;
                if (flow.settled_intent()) settled = *flow.settled_intent();
                // Made before the claim: its line goes with it (the send follows at once).
                std::string intent = intent_members(*setup, flow, context);
                flow.claimed(co_await claim(*setup, flow, std::move(settled), std::move(intent),
                                            context.given, ctx),
                             engine::local_unix_now());
                break;
            }
            case Step::send:
                // A resend after a lost answer has no claim before it: a fresh intent.
                if (setup->spec->mutating && !ctx.first_intent_on_disk)
                    ctx.intent = intent_members(*setup, flow, context);
                flow.sent(co_await ask(ctx, change_request(*setup, flow), *setup),
                          engine::local_unix_now());
                break;
            case Step::wait:
                if (co_await engine::park(ctx, flow.wait_time()))
                    flow.waited();
                else
                    flow.stopped("the run stopped while the order was being reconciled");
                break;
            case Step::done: {
                engine::OrderResult result = std::move(flow.result());
                if (flow.describes_request())
                    result.fields["request"] = describe(change_request(*setup, flow));
                add_target_columns(context, result);
                add_end_times(*setup->spec, flow.params(), result);
                add_money(*setup, flow, result);
                result.attempts = ctx.attempts;
                result.retries = ctx.retries;
                co_return result;
            }
        }
    }
}
}  // namespace

engine::OrderFn make_order_fn(std::shared_ptr<const ActionSetup> setup) {
    return [setup](engine::Target target, engine::CallContext& ctx) {
        return run_order(setup, std::move(target), ctx);
    };
}

}  // namespace rcbatch::jobs
