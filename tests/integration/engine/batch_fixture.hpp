#pragma once
// What the batch tests share: targets that check how far ahead they are pulled, a scripted
// server with a client context, batch settings, an order function and a sink that keeps
// the results.

#include "engine/batch/batch.hpp"
#include "engine/net/tls_context.hpp"
#include "tests/integration/engine/test_interpreter.hpp"
#include "tests/support/scripted_tls_server.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace rcbatch::test::batch {

using namespace rcbatch::engine;
using namespace std::chrono_literals;
namespace asio = boost::asio;

// Targets "t0".."t<n-1>", made one at a time; checks that no more than `bound` are
// pulled ahead of the results (memory bounded by concurrency).
class CountingSource : public TargetSource {
  public:
    CountingSource(std::uint64_t n, const std::uint64_t& emitted, std::uint64_t bound)
        : n_(n), emitted_(emitted), bound_(bound) {}
    std::optional<Target> next() override {
        if (pulled_ == n_) return std::nullopt;
        if (pulled_ - emitted_ >= bound_) ++overrun_;
        Target t;
        t.seq = pulled_;
        t.given = "t" + std::to_string(pulled_);
        t.id = std::to_string(1000 + pulled_);
        ++pulled_;
        if (throw_at_ && pulled_ == *throw_at_) throw std::runtime_error("orders.txt: read error");
        return t;
    }
    std::uint64_t pulled_ = 0;
    std::uint64_t overrun_ = 0;
    std::optional<std::uint64_t> throw_at_;

  private:
    std::uint64_t n_;
    const std::uint64_t& emitted_;
    std::uint64_t bound_;
};

inline std::string order_id_of(const SeenRequest& r) {
    const auto at = r.target.find("order-id=");
    return at == std::string::npos ? "" : r.target.substr(at + 9);
}

struct Fixture {
    asio::io_context ioc;
    ScriptedTlsServer server{ioc};
    asio::ssl::context tls =
        make_client_tls_context({.ca_file = {}, .ca_pem = server.ca_pem(), .system_ca = false});
    BatchSettings settings;
    std::vector<OrderResult> results;
    std::uint64_t emitted = 0;
    bool mutating = false;

    Fixture() {
        settings.concurrency = 4;
        settings.rate = 0;
        settings.attempt_timeout = 5s;
        settings.order_deadline = 20s;
        settings.grace_period = 5s;
        settings.retry = RetrySettings{3, 1ms, 5ms};
        settings.endpoint = Endpoint{"127.0.0.1", server.port(), "localhost"};
        settings.tls = &tls;
        settings.action = "test.action";
        settings.jitter_seed = 7;
    }

    OrderFn order_fn() {
        return [this](Target t, CallContext& ctx) -> asio::awaitable<OrderResult> {
            HttpRequest r;
            r.method =
                mutating ? rcbatch::engine::HttpMethod::post : rcbatch::engine::HttpMethod::get;
            r.target = "/api/x.json?order-id=" + t.id;
            r.mutating = mutating;
            OrderResult o;
            fill_from_call(o, co_await call(ctx, r, interpret_test_reply));
            co_return o;
        };
    }
    ResultSink sink() {
        return [this](const OrderResult& r) {
            results.push_back(r);
            ++emitted;
        };
    }

    // Whether the server has seen `n` requests, for rcbatch::test::once.
    std::function<bool()> sent(std::size_t n) const {
        return [this, n] { return server.requests().size() >= n; };
    }

    std::map<Outcome, int> outcomes() const {
        std::map<Outcome, int> m;
        for (const auto& r : results) ++m[r.outcome];
        return m;
    }
    // Every target reported exactly once.
    void check_each_seq_once(std::uint64_t n) const {
        std::set<std::uint64_t> seqs;
        for (const auto& r : results) seqs.insert(r.seq);
        CHECK(results.size() == n);
        CHECK(seqs.size() == n);
        if (!seqs.empty()) CHECK(*seqs.rbegin() == n - 1);
    }
};

}  // namespace rcbatch::test::batch
