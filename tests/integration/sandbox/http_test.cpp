#include "fixture.hpp"
#include "sandbox/server/background.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

namespace http_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;
using namespace std::chrono_literals;

namespace {

boost::asio::awaitable<bool> sleep_for(std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
    co_await t.async_wait(boost::asio::use_awaitable);
    co_return true;
}

}  // namespace

TEST_SUITE("sandbox http") {
    TEST_CASE("keep-alive: one connection serves requests up to the limit, then closes") {
        auto o = small_options();
        o.keepalive_requests = 3;
        SandboxFixture f(o);
        for (int i = 1; i <= 3; ++i) {
            auto r = f.get("/api/products/plan-details.json");
            CHECK(r.status == 200);
            CHECK(r.keep_alive == (i < 3));
        }
        CHECK(f.client.connects() == 1);
        CHECK(f.get("/api/products/plan-details.json").status == 200);
        CHECK(f.client.connects() == 2);
        CHECK(f.server->stats().connections == 2);
    }

    TEST_CASE("connections over the cap are closed at once; the others keep working") {
        auto o = small_options();
        o.max_connections = 2;
        SandboxFixture f(o);
        SandboxClient a(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient b(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient c(f.ioc, f.server->port(), f.server->ca_pem());
        CHECK(!run_until_done(f.ioc, a.connect(5s)));
        CHECK(!run_until_done(f.ioc, b.connect(5s)));
        CHECK(run_until_done(f.ioc, c.connect(5s)));
        CHECK(f.server->stats().connections_rejected == 1);
        auto target = make_target("/api/products/plan-details.json", f.auth());
        CHECK(run_until_done(f.ioc, a.request(http::verb::get, target)).status == 200);
        a.close();
        // Once the server has seen `a` go, a new connection is let in.
        bool admitted = false;
        for (int i = 0; i < 50 && !admitted; ++i) {
            run_until_done(f.ioc, sleep_for(20ms));
            admitted = !run_until_done(f.ioc, c.connect(5s));
        }
        CHECK(admitted);
        CHECK(run_until_done(f.ioc, b.request(http::verb::get, target)).status == 200);
        CHECK(run_until_done(f.ioc, c.request(http::verb::get, target)).status == 200);
    }

    TEST_CASE("malformed input gets 400 or a close, and never hurts the server") {
        auto o = small_options();
        o.max_header_bytes = 2048;
        o.max_body_bytes = 4096;
        SandboxFixture f(o);
        // Garbage instead of TLS.
        auto tcp_reply =
            run_until_done(f.ioc, raw_tcp(f.server->port(), "GET / HTTP/1.1\r\n\r\n", 5s));
        CHECK(tcp_reply.find("200") == std::string::npos);
        // Garbage instead of HTTP, inside TLS.
        SandboxClient raw(f.ioc, f.server->port(), f.server->ca_pem());
        auto garbage = run_until_done(
            f.ioc, raw.raw_tls(std::string("\x01\x02 not http at all\r\n\r\n", 23), 5s));
        CHECK(garbage.starts_with("HTTP/1.1 400"));
        // An oversized header and an oversized body.
        auto big_header = run_until_done(
            f.ioc,
            raw.raw_tls("GET /api/products/plan-details.json HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                            std::string(4096, 'a') + "\r\n\r\n",
                        5s));
        CHECK(big_header.starts_with("HTTP/1.1 431"));
        auto big_body =
            f.send(http::verb::post, "/api/backup/us/renew.json", std::string(8192, 'a'));
        CHECK(big_body.status == 413);
        // A bad percent escape, an absolute-form target, an unknown path, the wrong method.
        auto bad_escape =
            f.send(http::verb::get, "/api/products/plan-details.json?auth-userid=%zz");
        CHECK(bad_escape.status == 400);
        CHECK(str(bad_escape.json().at("status")) == "ERROR");
        CHECK(f.send(http::verb::get, "http://example.com/api/x.json").status == 400);
        auto unknown = f.get("/api/backup/mars/search.json");
        CHECK(unknown.status == 404);
        CHECK(str(unknown.json().at("status")) == "ERROR");
        CHECK(f.send(http::verb::get, "/").status == 404);
        auto wrong_method = f.get("/api/backup/us/renew.json");
        CHECK(wrong_method.status == 405);
        CHECK(str(wrong_method.json().at("status")) == "ERROR");
        CHECK(f.post("/api/backup/us/search.json", {{"no-of-records", "10"}, {"page-no", "1"}})
                  .status == 405);
        // Still serving.
        CHECK(f.get("/api/products/plan-details.json").status == 200);
        CHECK(f.server->stats().bad_requests >= 4);
    }

    TEST_CASE("query and form parameters merge; arrays repeat keys") {
        SandboxFixture f;
        const auto id = f.find_order([](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active";
        });
        // Auth in the query, the rest in the form body.
        auto r = f.send(http::verb::post, make_target("/api/backup/us/renew.json", f.auth()),
                        make_form({{"backup-order-id", std::to_string(id)},
                                   {"months", "3"},
                                   {"invoice-option", "NoInvoice"},
                                   {"auto-renew", "true"}}));
        CHECK(r.status == 200);
        CHECK(f.server->order(id)->auto_renew);
        CHECK(f.server->order(id)->renewals == 1);
    }

    TEST_CASE("admin: counters, order state, stats and reset") {
        SandboxFixture f;
        const auto id = f.find_order([](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "asia" && o.status == "Active";
        });
        const auto end = f.server->order(id)->end_time;
        f.post("/api/backup/asia/renew.json", {{"backup-order-id", std::to_string(id)},
                                               {"months", "2"},
                                               {"invoice-option", "NoInvoice"},
                                               {"auto-renew", "false"}});
        auto counters =
            f.send(http::verb::get, "/_sandbox/counters?order-id=" + std::to_string(id)).json();
        const auto& list = counters.at("counters").as_array();
        REQUIRE(list.size() == 1);
        CHECK(str(list[0].at("action")) == "backup.renew");
        CHECK(list[0].at("received").to_number<int>() == 1);
        CHECK(list[0].at("applied").to_number<int>() == 1);
        auto state =
            f.send(http::verb::get, "/_sandbox/order?order-id=" + std::to_string(id)).json();
        CHECK(str(state.at("endtime")) != std::to_string(end));
        CHECK(str(state.at("currentstatus")) == "Active");
        auto stats = f.send(http::verb::get, "/_sandbox/stats").json();
        CHECK(stats.at("api_requests").to_number<int>() == 1);
        CHECK(stats.at("connections").to_number<int>() == 1);
        CHECK(f.send(http::verb::get, "/_sandbox/reset").status == 405);
        CHECK(f.send(http::verb::post, "/_sandbox/reset").status == 200);
        CHECK(f.server->order(id)->end_time == end);
        CHECK(f.server->counter(id, "backup.renew").received == 0);
        CHECK(f.send(http::verb::get, "/_sandbox/order?order-id=1").status == 404);
        CHECK(f.send(http::verb::get, "/_sandbox/nothing").status == 404);
    }

    TEST_CASE("an idle or slow client is dropped at the request deadline") {
        auto o = small_options();
        o.request_timeout = 200ms;
        SandboxFixture f(o);
        SandboxClient idle(f.ioc, f.server->port(), f.server->ca_pem());
        REQUIRE(!run_until_done(f.ioc, idle.connect(5s)));
        // A request that never finishes its header.
        SandboxClient slow(f.ioc, f.server->port(), f.server->ca_pem());
        auto got = run_until_done(
            f.ioc,
            slow.raw_tls("GET /api/products/plan-details.json HTTP/1.1\r\nHost: x\r\n", 10s));
        CHECK(got.empty());  // closed without a reply
        bool dropped = false;
        for (int i = 0; i < 100 && !dropped; ++i) {
            run_until_done(f.ioc, sleep_for(20ms));
            dropped = f.server->stats().active_connections == 0;
        }
        CHECK(dropped);
        CHECK(f.get("/api/products/plan-details.json").status == 200);
    }

    TEST_CASE("stop closes open connections and the io_context runs out of work") {
        boost::asio::io_context ioc;
        rcbatch::sandbox::Server server(ioc, small_options());
        SandboxClient idle(ioc, server.port(), server.ca_pem());
        CHECK(!run_until_done(ioc, idle.connect(5s)));
        server.stop();
        ioc.restart();
        ioc.run_for(5s);
        CHECK(ioc.stopped());
        CHECK(server.stats().active_connections == 0);
    }

    TEST_CASE("a background sandbox serves another io_context and stops cleanly") {
        rcbatch::sandbox::BackgroundSandbox bg(small_options());
        boost::asio::io_context ioc;
        SandboxClient c(ioc, bg.port(), bg.ca_pem());
        auto r = run_until_done(
            ioc, c.request(http::verb::get,
                           make_target("/api/products/plan-details.json",
                                       {{"auth-userid", bg.userid()}, {"api-key", bg.api_key()}})));
        CHECK(r.status == 200);
        CHECK(bg.call([](rcbatch::sandbox::Server& s) {
            return s.counter(0, "plan.details").applied;
        }) == 1);
        c.close();
        bg.stop();
        bg.stop();
    }
}

}  // namespace http_test
