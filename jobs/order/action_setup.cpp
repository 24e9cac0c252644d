#include "jobs/order/action_setup.hpp"

#include "jobs/actions/registry.hpp"
#include "jobs/api/text_fields.hpp"

namespace rcbatch::jobs {

namespace {
using engine::Outcome;

Answer answer_of(engine::CallResult call) {
    Answer a;
    a.outcome = call.outcome;
    a.http_status = call.last.status;
    if (!call.verdict.message.empty())
        a.message = std::move(call.verdict.message);
    else if (!call.last.error.empty())
        a.message = std::move(call.last.error);
    else if (call.halted && call.attempts == 0)
        a.message = "not sent: the run was stopped";
    a.latency = call.latency;
    if (call.stop != engine::RetryStop::none && call.stop != engine::RetryStop::final_outcome)
        a.retry_stop = std::string(engine::to_string(call.stop));
    if (call.outcome == Outcome::ok) a.value = std::move(call.verdict.value);
    return a;
}
}  // namespace

boost::asio::awaitable<Answer> ask(engine::CallContext& ctx, engine::HttpRequest request,
                                   const ActionSetup& setup) {
    co_return answer_of(
        co_await engine::call(ctx, std::move(request), make_interpreter(setup.reply)));
}

boost::asio::awaitable<Answer> resolve(const ActionSetup& setup, const std::string& name,
                                       engine::CallContext& ctx) {
    CallParams call = call_params(setup, setup.orderid_path);
    call.params = {{"domain-name", name}};
    co_return co_await ask(ctx, build_request(domain_order_id_lookup(), call), setup);
}

boost::asio::awaitable<Answer> read_order(const ActionSetup& setup, const std::string& order_id,
                                          engine::CallContext& ctx) {
    const ActionSpec& reader = *reader_of(*setup.spec);
    CallParams call = call_params(setup, setup.details_path);
    call.order_id = order_id;
    if (reader.targets == TargetKind::domain_order)
        call.params = {{"options", std::vector<std::string>{"All"}}};
    co_return co_await ask(ctx, build_request(reader, call), setup);
}

boost::asio::awaitable<LogAnswer> read_log(const ActionSetup& setup, const std::string& order_id,
                                           engine::CallContext& ctx) {
    LogAnswer log;
    const std::int64_t order = parse_whole(order_id).value_or(0);
    for (const bool current : {true, false}) {
        CallParams call =
            call_params(setup, current ? setup.log.current_path : setup.log.archived_path);
        std::uint64_t seen = 0;
        for (std::int64_t page = 1;; ++page) {
            call.params = {{"no-of-records", std::int64_t{setup.log.page_size}},
                           {"page-no", page},
                           {"order-id", order}};
            Answer a = co_await ask(ctx, build_request(action_log_reader(current), call), setup);
            ActionLogPage parsed;
            if (a.outcome == Outcome::ok)
                parsed = parse_action_log_page(a.value, setup.log, current);
            if (a.outcome != Outcome::ok || !parsed.error.empty()) {
                if (a.outcome == Outcome::ok)
                    a = {Outcome::api_error, parsed.error, a.http_status, a.latency, {}};
                log.failure = std::move(a);
                co_return log;
            }
            seen += parsed.entries.size();
            for (auto& e : parsed.entries) log.entries.push_back(std::move(e));
            const ListPaging next = after_page(page, seen, parsed, setup.log.max_pages);
            if (next == ListPaging::done) break;
            if (next == ListPaging::too_many_pages) {
                log.failure = {Outcome::unknown,
                               "the order has more logged actions than rcbatch reads",
                               0,
                               {},
                               {}};
                co_return log;
            }
        }
    }
    log.failure.outcome = Outcome::ok;
    co_return log;
}

CallParams call_params(const ActionSetup& setup, std::string path) {
    CallParams call;
    call.path = std::move(path);
    call.auth_userid = setup.auth_userid;
    call.api_key = setup.api_key;
    call.post_params_in_query = setup.post_params_in_query;
    return call;
}

engine::Interpreter make_interpreter(const ReplyOptions& options) {
    return
        [&options](const engine::HttpExchange& exchange) { return read_reply(exchange, options); };
}

}  // namespace rcbatch::jobs
