#pragma once
// A batch run on the current executor, for tests that need no stop handle.

#include "engine/batch/batch.hpp"

#include <boost/asio/this_coro.hpp>

namespace rcbatch::test {

inline boost::asio::awaitable<engine::BatchStats> run_batch(engine::BatchSettings settings,
                                                            engine::TargetSource& source,
                                                            engine::OrderFn order,
                                                            engine::ResultSink sink) {
    engine::Batch batch(co_await boost::asio::this_coro::executor, std::move(settings),
                        std::move(order), std::move(sink));
    co_return co_await batch.run(source);
}

}  // namespace rcbatch::test
