#include "jobs/money/price_reader.hpp"

#include "engine/net/solo_caller.hpp"
#include "jobs/actions/registry.hpp"

#include <boost/asio/co_spawn.hpp>

namespace rcbatch::jobs {

namespace asio = boost::asio;

namespace {
asio::awaitable<PriceRead> ask_prices(const ActionSetup& setup, engine::BatchSettings settings) {
    engine::SoloCaller caller(co_await asio::this_coro::executor, settings);
    const ActionSpec& spec = *find_action("plan.details");
    CallParams call;
    call.path = std::string(spec.path);
    call.auth_userid = setup.auth_userid;
    call.api_key = setup.api_key;
    call.post_params_in_query = setup.post_params_in_query;
    engine::CallResult result = co_await engine::call(caller.context(), build_request(spec, call),
                                                      make_interpreter(setup.reply));
    co_await caller.close();
    PriceRead read;
    if (result.outcome != engine::Outcome::ok) {
        read.fatal = result.outcome == engine::Outcome::fatal;
        read.error = result.verdict.message.empty() ? result.last.error : result.verdict.message;
        if (read.error.empty()) read.error = std::string(engine::to_string(result.outcome));
        co_return read;
    }
    read.prices = std::make_shared<const PriceTable>(price_table(result.verdict.value));
    co_return read;
}
}  // namespace

PriceRead read_prices(asio::io_context& ioc, const ActionSetup& setup,
                      const engine::BatchSettings& settings) {
    PriceRead read;
    std::exception_ptr failure;
    asio::co_spawn(ioc, ask_prices(setup, settings), [&](std::exception_ptr e, PriceRead r) {
        failure = e;
        read = std::move(r);
    });
    ioc.run();
    ioc.restart();
    if (failure) std::rethrow_exception(failure);
    return read;
}

}  // namespace rcbatch::jobs
