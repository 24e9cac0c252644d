// HTTPS through a real HTTP proxy (tinyproxy): every connection is a CONNECT tunnel, TLS is
// end to end with the API host, and a proxy that refuses or is down stops the run at once,
// named, with its password never shown.
#include "engine/net/proxy.hpp"

#include "engine/batch/batch.hpp"
#include "engine/net/tls_context.hpp"
#include "sandbox/server/server.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/integration/engine/test_interpreter.hpp"
#include "tests/support/batch_runner.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <thread>
#include <vector>

namespace proxy_test {

using namespace rcbatch::engine;
using rcbatch::test::run_batch;
using rcbatch::test::TempDir;
using rcbatch::test::TinyProxy;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

constexpr const char* password = "s3cret-pw";

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

struct Run {
    BatchStats stats;
    std::vector<OrderResult> results;
    std::uint64_t sandbox_connections = 0, sandbox_api_requests = 0;
};

// A batch of `orders` GETs to an in-process sandbox through `proxy_url` (nullopt: direct).
Run run_through(const std::optional<std::string>& proxy_url, int concurrency, std::uint64_t orders,
                std::uint16_t sandbox_port = 0) {
    asio::io_context ioc;
    rcbatch::sandbox::Options options;
    options.port = sandbox_port;
    rcbatch::sandbox::Server sandbox(ioc, options);
    auto tls =
        make_client_tls_context({.ca_file = {}, .ca_pem = sandbox.ca_pem(), .system_ca = false});
    BatchSettings b;
    b.concurrency = concurrency;
    b.rate = 0;
    b.attempt_timeout = 5s;
    b.order_deadline = 20s;
    b.retry = RetrySettings{3, 1ms, 5ms};
    b.endpoint = Endpoint{"127.0.0.1", sandbox.port(), "localhost"};
    if (proxy_url) {
        auto parsed = parse_proxy_url(*proxy_url);
        REQUIRE(parsed.proxy);
        b.endpoint.proxy = parsed.proxy;
        b.endpoint.proxy->source = "the test's proxy";
    }
    b.tls = &tls;
    Numbers targets(orders);
    Run run;
    auto order = [](Target t, CallContext& ctx) -> asio::awaitable<OrderResult> {
        HttpRequest r;
        r.target = "/api/products/plan-details.json?order-id=" + t.id;
        OrderResult o;
        fill_from_call(o, co_await call(ctx, r, rcbatch::test::interpret_test_reply));
        co_return o;
    };
    rcbatch::test::run_async(ioc, [&]() -> asio::awaitable<void> {
        run.stats = co_await run_batch(b, targets, order,
                                       [&](const OrderResult& r) { run.results.push_back(r); });
        sandbox.stop();
    });
    run.sandbox_connections = sandbox.stats().connections;
    run.sandbox_api_requests = sandbox.stats().requests;
    return run;
}

// The proxy's log is written as it works: wait (bounded) until it shows `n` CONNECTs.
std::size_t connects_seen(const TinyProxy& proxy, std::size_t n) {
    for (int i = 0; i < 100 && proxy.connects() < n; ++i) std::this_thread::sleep_for(20ms);
    return proxy.connects();
}

void check_never_shown(const Run& run, const std::string& secret) {
    CHECK(run.stats.stop_message.find(secret) == std::string::npos);
    for (const auto& r : run.results) CHECK(r.message.find(secret) == std::string::npos);
}

}  // namespace

TEST_SUITE("proxy") {
    TEST_CASE(
        "a batch through tinyproxy: every connection is a CONNECT tunnel, every order answered") {
        TempDir dir("rcbatch-proxy");
        const std::uint16_t sandbox_port = rcbatch::test::free_loopback_port();
        TinyProxy proxy(dir.path, {.connect_ports = {sandbox_port}, .user = {}, .password = {}});
        const Run run = run_through(proxy.url(), 4, 24, sandbox_port);
        CHECK(run.stats.stopped == StopReason::none);
        CHECK(run.stats.tally.orders() == 24);
        CHECK(run.stats.tally.count(Outcome::fatal) == 0);
        CHECK(run.stats.tally.count(Outcome::transient) == 0);
        CHECK(run.stats.connections_opened == 4);
        CHECK(run.stats.sessions_resumed >= 3);  // TLS resumption through the tunnel, too
        CHECK(connects_seen(proxy, 4) == 4);     // each connection the client opened
        CHECK(run.sandbox_connections == 4);     // and no other reached the sandbox
        CHECK(run.sandbox_api_requests == 24);
        CHECK(proxy.log().find("CONNECT 127.0.0.1:" + std::to_string(sandbox_port)) !=
              std::string::npos);
    }

    TEST_CASE(
        "BasicAuth: the right credentials pass; none or wrong ones stop the run, password hidden") {
        TempDir dir("rcbatch-proxy");
        const std::uint16_t sandbox_port = rcbatch::test::free_loopback_port();
        TinyProxy proxy(
            dir.path, {.connect_ports = {sandbox_port}, .user = "reseller", .password = password});

        const Run good = run_through(proxy.url("reseller", password), 2, 6, sandbox_port);
        CHECK(good.stats.stopped == StopReason::none);
        CHECK(good.sandbox_api_requests == 6);

        // No credentials: 407. Wrong ones: tinyproxy 1.11 answers 401, which stops the run alike.
        const Run none = run_through(proxy.url(), 2, 6, sandbox_port);
        CHECK(none.stats.stopped == StopReason::fatal);
        CHECK(none.stats.stop_message.find(
                  ": 407 Proxy Authentication Required; check the proxy's address "
                  "and credentials") != std::string::npos);
        CHECK(none.sandbox_connections == 0);

        const Run bad = run_through(proxy.url("reseller", "wrong-pw"), 4, 20, sandbox_port);
        CHECK(bad.stats.stopped == StopReason::fatal);
        CAPTURE(bad.stats.stop_message);
        CHECK(bad.stats.stop_message.rfind(
                  "proxy http://reseller:***@127.0.0.1:" + std::to_string(proxy.port()), 0) == 0);
        CHECK(bad.stats.stop_message.find(": 401 ") != std::string::npos);
        CHECK(bad.stats.stop_message.find("credentials") != std::string::npos);
        CHECK(bad.stats.connections_opened == 1);
        CHECK(bad.sandbox_connections == 0);  // no API request was sent
        CHECK(bad.stats.tally.count(Outcome::ok) == 0);
        CHECK(bad.stats.tally.orders() == 20);
        check_never_shown(bad, "wrong-pw");
        check_never_shown(good, password);
    }

    TEST_CASE(
        "a proxy that refuses the port (403) stops the run, naming the proxy and the status") {
        TempDir dir("rcbatch-proxy");
        TinyProxy proxy(dir.path, {.connect_ports = {9}, .user = {}, .password = {}});
        const Run run = run_through(proxy.url(), 4, 20);
        CHECK(run.stats.stopped == StopReason::fatal);
        CAPTURE(run.stats.stop_message);
        CHECK(run.stats.stop_message.find("proxy http://127.0.0.1:" + std::to_string(proxy.port()) +
                                          " (the test's proxy) refused CONNECT 127.0.0.1:") == 0);
        CHECK(run.stats.stop_message.find(": 403 ") != std::string::npos);
        CHECK(run.sandbox_connections == 0);
    }

    TEST_CASE("a proxy that is down stops the run at the first attempt, naming the proxy") {
        const std::uint16_t nobody = rcbatch::test::free_loopback_port();
        const Run run = run_through(
            "http://user:" + std::string(password) + "@127.0.0.1:" + std::to_string(nobody), 4, 20);
        CHECK(run.stats.stopped == StopReason::fatal);
        CAPTURE(run.stats.stop_message);
        CHECK(run.stats.stop_message.rfind(
                  "proxy http://user:***@127.0.0.1:" + std::to_string(nobody) +
                      " (the test's proxy) cannot be reached: ",
                  0) == 0);
        CHECK(run.stats.connections_opened == 0);
        CHECK(run.sandbox_connections == 0);
        CHECK(run.stats.tally.attempts() <=
              4);  // the first attempt of each worker at most: no retries
        CHECK(run.stats.tally.retries() == 0);
        check_never_shown(run, password);
    }
}

}  // namespace proxy_test
