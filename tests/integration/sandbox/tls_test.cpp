#include "fixture.hpp"

#include <boost/asio/ssl/error.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tls_test {

using namespace rcbatch::test;
using namespace std::chrono_literals;

TEST_SUITE("sandbox tls") {
    TEST_CASE("a client trusting the written CA verifies localhost and 127.0.0.1") {
        SandboxFixture f;
        const std::string path = "sandbox-ca-test-" + std::to_string(f.server->port()) + ".pem";
        f.server->write_ca(path);
        std::ifstream in(path);
        std::stringstream ca;
        ca << in.rdbuf();
        std::remove(path.c_str());
        CHECK(ca.str() == f.server->ca_pem());

        for (const char* host : {"localhost", "127.0.0.1"}) {
            CAPTURE(host);
            SandboxClient c(f.ioc, f.server->port(), ca.str(), host);
            auto ec = run_until_done(f.ioc, c.connect(5s));
            CHECK_MESSAGE(!ec, ec.message());
            auto r = run_until_done(
                f.ioc, c.request(http::verb::get,
                                 make_target("/api/products/plan-details.json", f.auth())));
            CHECK(r.ok());
            CHECK(r.status == 200);
        }
        CHECK(f.server->url() == "https://127.0.0.1:" + std::to_string(f.server->port()));
    }

    TEST_CASE("verification fails without the CA, with another sandbox's CA, or for another name") {
        SandboxFixture f;
        SandboxFixture other;
        SandboxClient no_ca(f.ioc, f.server->port(), "");
        CHECK(run_until_done(f.ioc, no_ca.connect(5s)));
        SandboxClient wrong_ca(f.ioc, f.server->port(), other.server->ca_pem());
        CHECK(run_until_done(f.ioc, wrong_ca.connect(5s)));
        SandboxClient wrong_name(f.ioc, f.server->port(), f.server->ca_pem(), "example.com");
        CHECK(run_until_done(f.ioc, wrong_name.connect(5s)));
        // The server is unharmed by the failed handshakes.
        CHECK(f.get("/api/products/plan-details.json").status == 200);
    }
}

}  // namespace tls_test
