// conn-cap, block-after and the connection statistics (in flight, TLS resumption, peers).
#include "helpers.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

namespace connections_test {

using namespace rcbatch::test;
using namespace std::chrono_literals;

namespace {

boost::json::object stats_of(SandboxClient& c, SandboxFixture& f) {
    auto r = run_until_done(f.ioc, c.request(http::verb::get, "/_sandbox/stats"));
    REQUIRE(r.status == 200);
    return r.json().as_object();
}

std::uint64_t num(const boost::json::object& o, const char* key) {
    return o.at(key).to_number<std::uint64_t>();
}

}  // namespace

TEST_SUITE("sandbox connections") {
    TEST_CASE("conn-cap drops connections over the cap before TLS; the others keep working") {
        auto f = fixture_with("conn-cap=2");
        SandboxClient a(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient b(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient c(f.ioc, f.server->port(), f.server->ca_pem());
        CHECK(!run_until_done(f.ioc, a.connect(5s)));
        CHECK(!run_until_done(f.ioc, b.connect(5s)));
        CHECK(run_until_done(f.ioc, c.connect(5s)));
        CHECK(run_until_done(f.ioc, c.connect(5s)));
        auto s = stats_of(a, f);
        CHECK(num(s, "drops") == 2);
        CHECK(s.at("blocked").as_bool() == false);
        CHECK(num(s, "connections_accepted") == 4);
        CHECK(num(s, "tls_handshakes") == 2);  // the dropped ones never got that far
        CHECK(num(s, "max_open_connections") == 2);
        CHECK(num(s, "connections_rejected") == 0);
        CHECK(num(s.at("peers").as_object(), "127.0.0.1") == 4);
        auto target = make_target("/api/products/plan-details.json", f.auth());
        CHECK(run_until_done(f.ioc, b.request(http::verb::get, target)).status == 200);
    }

    TEST_CASE(
        "block-after: after N drops /api/ requests are closed unanswered, /_sandbox/ answers") {
        auto f = fixture_with("conn-cap=1,block-after=2");
        SandboxClient a(f.ioc, f.server->port(), f.server->ca_pem());
        CHECK(!run_until_done(f.ioc, a.connect(5s)));
        const auto target = make_target("/api/products/plan-details.json", f.auth());
        CHECK(run_until_done(f.ioc, a.request(http::verb::get, target)).status == 200);
        SandboxClient b(f.ioc, f.server->port(), f.server->ca_pem());
        CHECK(run_until_done(f.ioc, b.connect(5s)));
        CHECK(!stats_of(a, f).at("blocked").as_bool());
        CHECK(run_until_done(f.ioc, b.connect(5s)));
        auto s = stats_of(a, f);
        CHECK(s.at("blocked").as_bool());
        CHECK(num(s, "drops") == 2);
        // The open connection's next API request is cut, and that frees the only slot.
        auto cut = run_until_done(f.ioc, a.request(http::verb::get, target));
        CHECK(cut.ec);
        CHECK(!cut.header_read);
        SandboxClient admin(f.ioc, f.server->port(), f.server->ca_pem());
        auto after = stats_of(admin, f);
        CHECK(after.at("blocked").as_bool());
        CHECK(num(after, "blocked_requests") == 1);
        auto again = run_until_done(f.ioc, admin.request(http::verb::get, target));
        CHECK(!again.header_read);
        CHECK(f.server->stats().blocked_requests == 2);
        CHECK(f.server->counter(0, "plan.details").received ==
              1);  // the cut ones never reached the API
    }

    TEST_CASE("requests in flight are counted across connections") {
        auto f = fixture_with("latency=300ms");
        SandboxClient a(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient b(f.ioc, f.server->port(), f.server->ca_pem());
        SandboxClient c(f.ioc, f.server->port(), f.server->ca_pem());
        const auto target = make_target("/api/products/plan-details.json", f.auth());
        for (auto* client : {&a, &b, &c}) REQUIRE(!run_until_done(f.ioc, client->connect(5s)));
        using namespace boost::asio::experimental::awaitable_operators;
        auto [ra, rb, rc] = run_until_done(
            f.ioc,
            [&]() -> boost::asio::awaitable<std::tuple<ClientReply, ClientReply, ClientReply>> {
                co_return co_await (a.request(http::verb::get, target) &&
                                    b.request(http::verb::get, target) &&
                                    c.request(http::verb::get, target));
            }());
        CHECK(ra.status + rb.status + rc.status == 600);
        auto s = f.send(http::verb::get, "/_sandbox/stats").json().as_object();
        CHECK(num(s, "max_requests_in_flight") >= 2);
        CHECK(num(s, "max_requests_in_flight") <= 3);
        CHECK(num(s, "requests_in_flight") == 0);  // the admin request itself is not counted
    }

    TEST_CASE("a resumed TLS session is counted") {
        SandboxFixture f;
        SandboxClient c(f.ioc, f.server->port(), f.server->ca_pem());
        c.reuse_sessions(true);
        const auto target = make_target("/api/products/plan-details.json", f.auth());
        CHECK(run_until_done(f.ioc, c.request(http::verb::get, target)).status == 200);
        c.close();  // keeps the session (and its ticket, read with the reply)
        CHECK(run_until_done(f.ioc, c.request(http::verb::get, target)).status == 200);
        CHECK(f.server->stats().tls_handshakes == 2);
        CHECK(f.server->stats().tls_sessions_resumed == 1);
        auto s = f.send(http::verb::get, "/_sandbox/stats").json().as_object();
        CHECK(num(s, "tls_sessions_resumed") == 1);
        CHECK(num(s, "tls_handshakes") == 3);  // the fixture's own client too
    }
}

}  // namespace connections_test
