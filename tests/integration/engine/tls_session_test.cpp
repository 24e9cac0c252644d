// The session's TLS beyond one connection: the session cache a client context shares between
// its connections (and what it never shares), a failure every waiting connection shares, and
// interim 1xx replies.
#include "engine/batch/batch.hpp"
#include "engine/net/handshake_gate.hpp"
#include "engine/net/https_session.hpp"
#include "engine/net/tls_context.hpp"
#include "sandbox/server/server.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/integration/engine/test_interpreter.hpp"
#include "tests/support/batch_runner.hpp"
#include "tests/support/scripted_tls_server.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include <vector>

namespace tls_session_test {

using namespace rcbatch::engine;
using rcbatch::test::run_async;
using rcbatch::test::run_batch;
using rcbatch::test::ScriptedTlsServer;
using rcbatch::test::Step;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

HttpRequest get(std::string target = "/api/x.json?a=1") {
    HttpRequest r;
    r.target = std::move(target);
    return r;
}

struct Fixture {
    asio::io_context ioc;
    ScriptedTlsServer server{ioc};
    asio::ssl::context tls =
        make_client_tls_context({.ca_file = {}, .ca_pem = server.ca_pem(), .system_ca = false});
    SessionSettings settings;

    Endpoint endpoint(std::string name = "localhost") const {
        return Endpoint{"127.0.0.1", server.port(), std::move(name)};
    }
};

// Targets "0".."n-1".
class Numbers : public TargetSource {
  public:
    explicit Numbers(std::uint64_t n) : n_(n) {}
    std::optional<Target> next() override {
        if (i_ == n_) return std::nullopt;
        Target t;
        t.seq = i_;
        t.id = t.given = std::to_string(i_);
        ++i_;
        return t;
    }

  private:
    std::uint64_t n_, i_ = 0;
};

BatchSettings batch_settings(asio::ssl::context& tls, Endpoint endpoint, int concurrency) {
    BatchSettings b;
    b.concurrency = concurrency;
    b.rate = 0;
    b.attempt_timeout = 5s;
    b.order_deadline = 20s;
    b.retry = RetrySettings{3, 1ms, 5ms};
    b.endpoint = std::move(endpoint);
    b.tls = &tls;
    b.jitter_seed = 3;
    return b;
}

OrderFn get_order(std::string path) {
    return [path](Target t, CallContext& ctx) -> asio::awaitable<OrderResult> {
        OrderResult o;
        fill_from_call(o, co_await call(ctx, get(path + "?order-id=" + t.id),
                                        rcbatch::test::interpret_test_reply));
        co_return o;
    };
}

}  // namespace

TEST_SUITE("tls sessions") {
    TEST_CASE(
        "a batch of C workers against the sandbox resumes at least C-1 of its C connections") {
        constexpr int concurrency = 8;
        asio::io_context ioc;
        rcbatch::sandbox::Server sandbox(ioc, rcbatch::sandbox::Options{});
        auto tls = make_client_tls_context(
            {.ca_file = {}, .ca_pem = sandbox.ca_pem(), .system_ca = false});
        Numbers targets(40);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(
                batch_settings(tls, Endpoint{"127.0.0.1", sandbox.port(), "localhost"},
                               concurrency),
                targets, get_order("/api/products/plan-details.json"), [](const OrderResult&) {});
            sandbox.stop();
        });
        CHECK(stats.tally.orders() == 40);
        CHECK(stats.connections_opened == concurrency);
        CHECK(stats.sessions_resumed >= concurrency - 1);
        CHECK(sandbox.stats().connections == concurrency);
    }

    TEST_CASE("a batch sets up at most the context's connecting_at_once connections at once") {
        constexpr int concurrency = 24;
        asio::io_context ioc;
        rcbatch::sandbox::Server sandbox(ioc, rcbatch::sandbox::Options{});
        auto tls = make_client_tls_context({.ca_file = {},
                                            .ca_pem = sandbox.ca_pem(),
                                            .system_ca = false,
                                            .connecting_at_once = 3});
        const HandshakeGate* gate = HandshakeGate::of(tls.native_handle());
        REQUIRE(gate != nullptr);
        Numbers targets(96);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(
                batch_settings(tls, Endpoint{"127.0.0.1", sandbox.port(), "localhost"},
                               concurrency),
                targets, get_order("/api/products/plan-details.json"), [](const OrderResult&) {});
            sandbox.stop();
        });
        CHECK(stats.tally.orders() == 96);
        CHECK(stats.connections_opened == concurrency);
        CHECK(stats.sessions_resumed >= concurrency - 1);
        CHECK(gate->peak() == 3);  // the workers did start together, and waited their turn
        CHECK(gate->inside() == 0);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "sessions are shared by the context's connections to one endpoint, never "
                      "across endpoints") {
        std::vector<std::uint64_t> resumed;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession first(ioc.get_executor(), tls, endpoint(), settings);
            co_await first.send(get());
            HttpsSession second(ioc.get_executor(), tls, endpoint(), settings);  // resumes first's
            co_await second.send(get());
            HttpsSession by_address(ioc.get_executor(), tls, endpoint("127.0.0.1"),
                                    settings);  // another name
            co_await by_address.send(get());
            auto other_tls = make_client_tls_context(
                {.ca_file = {}, .ca_pem = server.ca_pem(), .system_ca = false});
            HttpsSession other_context(ioc.get_executor(), other_tls, endpoint(),
                                       settings);  // another run
            co_await other_context.send(get());
            for (HttpsSession* s : {&first, &second, &by_address, &other_context}) {
                resumed.push_back(s->sessions_resumed());
                co_await s->close();
            }
        });
        CHECK(resumed == std::vector<std::uint64_t>{0, 1, 0, 0});
        CHECK(server.handshakes_resumed() == 1);
        CHECK(server.connections_accepted() == 4);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "every reconnect resumes, with TLS 1.3 tickets and TLS 1.2 sessions") {
        int max_version = TLS1_3_VERSION;
        SUBCASE("TLS 1.3") {}
        SUBCASE("TLS 1.2") { max_version = TLS1_2_VERSION; }
        REQUIRE(SSL_CTX_set_max_proto_version(tls.native_handle(), max_version) == 1);
        // Each reply closes the connection: the client frees it without a close_notify of its
        // own, which must not spoil the session the next connection resumes.
        Step closing = Step::ok();
        closing.close = true;
        server.respond_with([&](const auto&) { return closing; });
        std::uint64_t opened = 0, resumed = 0;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            for (int i = 0; i < 5; ++i)
                CHECK((co_await session.send(get())).transport == Transport::complete);
            opened = session.connections_opened();
            resumed = session.sessions_resumed();
        });
        CHECK(opened == 5);
        CHECK(resumed == 4);
        CHECK(server.handshakes_resumed() == 4);
    }

    TEST_CASE_FIXTURE(
        Fixture,
        "a refused certificate costs one connection: the waiting workers share its failure") {
        constexpr int concurrency = 8;
        Numbers targets(20);
        BatchStats stats;
        std::vector<OrderResult> results;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(batch_settings(tls, endpoint("wrong.example"), concurrency),
                                       targets, get_order("/api/x.json"),
                                       [&](const OrderResult& r) { results.push_back(r); });
        });
        CHECK(stats.stopped == StopReason::fatal);
        CHECK(stats.stop_message.find("not for wrong.example") != std::string::npos);
        CHECK(stats.connections_opened == 1);
        CHECK(server.connections_accepted() == 1);
        CHECK(server.requests().empty());
        CHECK(stats.tally.orders() == 20);
        CHECK(stats.tally.count(Outcome::ok) == 0);
        CHECK(stats.tally.count(Outcome::fatal) + stats.tally.count(Outcome::not_run) == 20);
        for (const auto& r : results) CHECK(r.attempts <= 1);
    }

    TEST_CASE_FIXTURE(
        Fixture, "an interim 100 Continue, then the real reply: the exchange is the real reply") {
        Step renewed = Step::ok(R"({"actiontypedesc":"Renewal","actionstatus":"Success"})");
        renewed.interim = "HTTP/1.1 100 Continue\r\n\r\n";
        Step hinted = Step::ok(R"({"second":true})");
        hinted.interim =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>; "
            "rel=preload\r\n\r\n";
        Step switched = Step::ok();
        switched.interim = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
        server.script({renewed, hinted, switched});
        std::vector<HttpExchange> got;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            HttpRequest renew = get("/api/backup/us/renew.json");
            renew.method = rcbatch::engine::HttpMethod::post;
            renew.body = "order-id=1&months=12";
            renew.mutating = true;
            got.push_back(co_await session.send(renew));
            got.push_back(co_await session.send(get()));  // same connection: nothing left over
            got.push_back(co_await session.send(get()));
            CHECK(session.connections_opened() == 1);
        });
        REQUIRE(got.size() == 3);
        CHECK(got[0].transport == Transport::complete);
        CHECK(got[0].status == 200);
        CHECK(got[0].body == R"({"actiontypedesc":"Renewal","actionstatus":"Success"})");
        CHECK(got[1].transport == Transport::complete);
        CHECK(got[1].body == R"({"second":true})");
        CHECK(got[2].transport == Transport::truncated);
        CHECK(got[2].error.find("switched protocols (101)") != std::string::npos);
        CHECK(server.requests().size() == 3);
    }
}

}  // namespace tls_session_test
