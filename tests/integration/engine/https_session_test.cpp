#include "engine/net/https_session.hpp"

#include "engine/net/tls_context.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/support/scripted_tls_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace https_session_test {

using namespace rcbatch::engine;
using rcbatch::test::run_async;
using rcbatch::test::ScriptedTlsServer;
using rcbatch::test::Step;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

HttpRequest get(std::string target = "/api/x.json?a=1") {
    HttpRequest r;
    r.method = rcbatch::engine::HttpMethod::get;
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

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

// Waits (bounded) until `done()` holds, letting the server run meanwhile.
template <class Pred>
asio::awaitable<void> wait_until(Pred done) {
    for (int i = 0; i < 500 && !done(); ++i) co_await sleep_for(10ms);
}

}  // namespace

TEST_SUITE("https_session") {
    TEST_CASE_FIXTURE(
        Fixture, "a JSON reply is complete, and the request carries Host, User-Agent, form body") {
        server.script({Step::ok(R"({"orderid":"42"})")});
        HttpExchange x;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            HttpRequest post = get("/api/backup/us/renew.json");
            post.method = rcbatch::engine::HttpMethod::post;
            post.body = "backup-order-id=1&months=12";
            post.mutating = true;
            x = co_await session.send(post);
            co_await session.close();
        });
        CHECK(x.transport == Transport::complete);
        CHECK(x.status == 200);
        CHECK(x.body == R"({"orderid":"42"})");
        CHECK(x.content_type == "application/json");
        REQUIRE(server.requests().size() == 1);
        const auto& seen = server.requests()[0];
        CHECK(seen.method == "POST");
        CHECK(seen.target == "/api/backup/us/renew.json");
        CHECK(seen.host == "localhost:" + std::to_string(server.port()));
        CHECK(seen.user_agent.rfind("rcbatch/", 0) == 0);
        CHECK(seen.content_type == "application/x-www-form-urlencoded");
        CHECK(seen.body == "backup-order-id=1&months=12");
    }

    TEST_CASE_FIXTURE(Fixture, "keep-alive: many requests, one connection") {
        std::uint64_t opened = 0;
        int complete = 0;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            for (int i = 0; i < 5; ++i)
                if ((co_await session.send(get())).transport == Transport::complete) ++complete;
            opened = session.connections_opened();
            co_await session.close();
        });
        CHECK(complete == 5);
        CHECK(opened == 1);
        CHECK(server.connections_accepted() == 1);
        CHECK(server.requests().size() == 5);
    }

    TEST_CASE_FIXTURE(
        Fixture,
        "a kept-alive connection the server closed is re-opened, TLS resumed, request sent once") {
        server.script({Step::of(Step::Kind::close_idle), Step::ok(R"({"second":true})")});
        HttpExchange first, second;
        std::uint64_t opened = 0, resumed = 0;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            first = co_await session.send(get("/first"));
            co_await wait_until([&] { return server.connections_closed() == 1; });
            second = co_await session.send(get("/second"));
            opened = session.connections_opened();
            resumed = session.sessions_resumed();
            co_await session.close();
        });
        CHECK(first.transport == Transport::complete);
        CHECK(server.connections_closed() >= 1);
        CHECK(second.transport == Transport::complete);
        CHECK(second.body == R"({"second":true})");
        REQUIRE(server.requests().size() == 2);  // /second left exactly once
        CHECK(server.requests()[1].target == "/second");
        CHECK(server.requests()[1].connection == 2);
        CHECK(opened == 2);
        CHECK(resumed == 1);
        CHECK(server.handshakes_resumed() == 1);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "bytes read with a reply are never taken for the next request's reply") {
        // The reply and a stray response in a TLS record of its own reach the client together:
        // OpenSSL may read both at once and hold the second, unread, once the reply is parsed.
        Step first = Step::ok(R"({"first":true})");
        first.trailing = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"stale\":true}\n";
        server.script({first, Step::ok(R"({"second":true})")});
        HttpExchange one, two;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            one = co_await session.send(get("/first"));
            two = co_await session.send(get("/second"));
            co_await session.close();
        });
        CHECK(one.transport == Transport::complete);
        CHECK(one.body == R"({"first":true})");
        CHECK(two.transport == Transport::complete);
        CHECK(two.body == R"({"second":true})");
        REQUIRE(server.requests().size() == 2);
        CHECK(server.requests()[1].connection == 2);  // not sent on the connection with stray bytes
    }

    TEST_CASE_FIXTURE(Fixture,
                      "Connection: close in a reply means a new connection for the next request") {
        Step closing = Step::ok();
        closing.close = true;
        server.script({closing, Step::ok()});
        HttpExchange second;
        std::uint64_t opened = 0;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            co_await session.send(get());
            CHECK_FALSE(session.connected());
            second = co_await session.send(get());
            opened = session.connections_opened();
        });
        CHECK(second.transport == Transport::complete);
        CHECK(opened == 2);
        CHECK(server.requests().size() == 2);
    }

    TEST_CASE_FIXTURE(Fixture, "each scripted failure maps to its exact transport") {
        struct Row {
            Step step;
            Transport transport;
            int status;
        };
        const std::vector<Row> rows{
            {Step::of(Step::Kind::drop), Transport::closed_before_reply, 0},
            {Step::of(Step::Kind::truncated), Transport::truncated, 200},
            {Step::of(Step::Kind::stall), Transport::timeout_after_send, 0},
            {Step::status_code(429, "7"), Transport::complete, 429},
            {Step::status_code(503), Transport::complete, 503},
            {Step::status_code(502), Transport::complete, 502},
            {Step::make(Step::Kind::reply, 500,
                        R"({"status":"ERROR","message":"No Entity found for Entityid: 1"})"),
             Transport::complete, 500},
        };
        settings.attempt_timeout = 300ms;
        std::vector<HttpExchange> got;
        for (const auto& row : rows) server.script({row.step});
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            for (std::size_t i = 0; i < rows.size(); ++i)
                got.push_back(co_await session.send(get()));
        });
        REQUIRE(got.size() == rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            CAPTURE(i);
            CAPTURE(got[i].error);
            CHECK(static_cast<int>(got[i].transport) == static_cast<int>(rows[i].transport));
            CHECK(got[i].status == rows[i].status);
        }
        CHECK(got[3].retry_after == "7");
        CHECK(got[6].body.find("No Entity found") != std::string::npos);
        CHECK(server.requests().size() == rows.size());  // each request left once
        CHECK_FALSE(got[2].error.empty());
    }

    TEST_CASE_FIXTURE(Fixture, "a reply above the body limit is truncated") {
        server.script({Step::ok(std::string(5000, 'x'))});
        settings.body_limit = 1000;
        HttpExchange x;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            x = co_await session.send(get());
        });
        CHECK(x.transport == Transport::truncated);
        CHECK(x.error.find("body limit") != std::string::npos);
    }

    TEST_CASE_FIXTURE(Fixture, "a refused connection is not_sent") {
        std::uint16_t closed_port = 0;
        {
            asio::ip::tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
            closed_port = a.local_endpoint().port();
        }
        HttpExchange x;
        std::uint64_t opened = 1;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls,
                                 Endpoint{"127.0.0.1", closed_port, "localhost"}, settings);
            x = co_await session.send(get());
            opened = session.connections_opened();
        });
        CHECK(x.transport == Transport::not_sent);
        CHECK(x.error.find("connect") != std::string::npos);
        CHECK(opened == 0);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "TLS verification fails without the CA, and with a wrong host name") {
        auto untrusting = make_client_tls_context({.ca_file = {}, .ca_pem = {}, .system_ca = true});
        HttpExchange no_ca, wrong_name, right;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession a(ioc.get_executor(), untrusting, endpoint(), settings);
            no_ca = co_await a.send(get());
            HttpsSession b(ioc.get_executor(), tls, endpoint("wrong.example"), settings);
            wrong_name = co_await b.send(get());
            HttpsSession c(ioc.get_executor(), tls, endpoint("127.0.0.1"), settings);  // IP SAN
            right = co_await c.send(get());
        });
        CHECK(no_ca.transport == Transport::not_sent);
        CHECK(no_ca.error.find("signed by a CA this machine does not trust") != std::string::npos);
        CHECK(no_ca.error.find("ca-file") != std::string::npos);
        CHECK(no_ca.stops_run);
        CHECK(wrong_name.transport == Transport::not_sent);
        CHECK(wrong_name.error.rfind("TLS handshake with wrong.example:", 0) == 0);
        CHECK(wrong_name.error.find("not for wrong.example (it names localhost, 127.0.0.1)") !=
              std::string::npos);
        CHECK(wrong_name.stops_run);
        CHECK(right.transport == Transport::complete);
        CHECK_FALSE(right.stops_run);
        CHECK(server.requests().size() == 1);  // only the verified session sent anything
    }

    TEST_CASE_FIXTURE(
        Fixture, "the system CAs are read on first need, from the default paths (SSL_CERT_FILE)") {
        const auto path = std::filesystem::temp_directory_path() /
                          ("rcbatch-system-ca-" + std::to_string(::getpid()) + ".pem");
        {
            std::ofstream out(path, std::ios::binary);
            out << server.ca_pem();
        }
        // The context is made before the variable is set: the bundle is read when a
        // verification first needs an issuer, not at start-up.
        auto system_only =
            make_client_tls_context({.ca_file = {}, .ca_pem = {}, .system_ca = true});
        ::setenv("SSL_CERT_FILE", path.c_str(), 1);
        server.script({Step::ok(R"({"a":"1"})"), Step::ok(R"({"b":"2"})")});
        HttpExchange first, second;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession a(ioc.get_executor(), system_only, endpoint(), settings);
            first = co_await a.send(get());
            HttpsSession b(ioc.get_executor(), system_only, endpoint(), settings);
            second = co_await b.send(get());
        });
        ::unsetenv("SSL_CERT_FILE");
        std::filesystem::remove(path);
        CHECK(first.transport == Transport::complete);
        CHECK_FALSE(first.stops_run);
        CHECK(second.transport == Transport::complete);
    }

    TEST_CASE_FIXTURE(Fixture, "a send cancelled by the caller leaves the session usable") {
        using namespace asio::experimental::awaitable_operators;
        server.script({Step::of(Step::Kind::stall), Step::ok(R"({"after":"cancel"})")});
        bool timer_won = false;
        HttpExchange after;
        std::uint64_t opened = 0;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(),
                                 settings);  // 30 s attempt timeout
            asio::steady_timer t(ioc.get_executor(), 200ms);
            auto r =
                co_await (session.send(get()) || t.async_wait(asio::as_tuple(asio::use_awaitable)));
            timer_won = r.index() == 1;
            after = co_await session.send(get());
            opened = session.connections_opened();
        });
        CHECK(timer_won);
        CHECK(after.transport == Transport::complete);
        CHECK(after.body == R"({"after":"cancel"})");
        CHECK(opened == 2);
    }

    TEST_CASE_FIXTURE(Fixture, "close() ends the connection gracefully") {
        run_async(ioc, [&]() -> asio::awaitable<void> {
            HttpsSession session(ioc.get_executor(), tls, endpoint(), settings);
            co_await session.send(get());
            co_await session.close();
            CHECK_FALSE(session.connected());
            co_await wait_until([&] { return server.connections_closed() == 1; });
        });
        CHECK(server.connections_closed() == 1);
    }
}

}  // namespace https_session_test
