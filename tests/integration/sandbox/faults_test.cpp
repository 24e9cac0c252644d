#include "fixture.hpp"

#include <doctest/doctest.h>

namespace faults_test {

using namespace rcbatch::test;
using rcbatch::sandbox::FaultKind;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;
using namespace std::chrono_literals;

namespace {

SandboxFixture with_faults(const std::string& spec) {
    auto o = small_options();
    o.faults = rcbatch::sandbox::parse_fault_spec(spec);
    return SandboxFixture(o);
}

std::uint64_t active_us(SandboxFixture& f) {
    return f.find_order([](const Order& o) {
        return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active";
    });
}

QueryParams renew(std::uint64_t id) {
    return {{"backup-order-id", std::to_string(id)},
            {"months", "1"},
            {"invoice-option", "NoInvoice"},
            {"auto-renew", "false"}};
}

}  // namespace

TEST_SUITE("sandbox faults") {
    TEST_CASE("429 and 503 refuse with Retry-After; nothing is applied") {
        for (auto [spec, status, json] :
             {std::tuple{"429=1,retry-after=7", 429, true}, {"503=1,retry-after=7", 503, false}}) {
            CAPTURE(spec);
            auto f = with_faults(spec);
            const auto id = active_us(f);
            const auto before = f.server->order(id)->end_time;
            auto r = f.post("/api/backup/us/renew.json", renew(id));
            CHECK(r.status == status);
            CHECK(r.retry_after == "7");
            CHECK(r.content_type == (json ? "application/json" : "text/html"));
            CHECK(f.server->order(id)->end_time == before);
            CHECK(f.server->counter(id, "backup.renew").received == 1);
            CHECK(f.server->counter(id, "backup.renew").applied == 0);
        }
    }

    TEST_CASE("502 and non-JSON 500 are HTML pages; nothing is applied") {
        for (auto [spec, status] : {std::pair{"502=1", 502}, {"500=1", 500}}) {
            CAPTURE(spec);
            auto f = with_faults(spec);
            const auto id = active_us(f);
            auto r = f.post("/api/backup/us/renew.json", renew(id));
            CHECK(r.status == status);
            CHECK(r.content_type == "text/html");
            CHECK(r.body.find("<html>") != std::string::npos);
            CHECK_THROWS(r.json());
            CHECK(f.server->counter(id, "backup.renew").applied == 0);
        }
    }

    TEST_CASE("close-before drops the request unprocessed, close-after applies it first") {
        {
            auto f = with_faults("close-before=1");
            const auto id = active_us(f);
            const auto before = f.server->order(id)->end_time;
            auto r = f.post("/api/backup/us/renew.json", renew(id));
            CHECK(r.ec);
            CHECK(!r.header_read);
            CHECK(f.server->order(id)->end_time == before);
            CHECK(f.server->counter(id, "backup.renew").applied == 0);
        }
        {
            auto f = with_faults("close-after=1");
            const auto id = active_us(f);
            const auto before = f.server->order(id)->end_time;
            auto r = f.post("/api/backup/us/renew.json", renew(id));
            CHECK(r.ec);
            CHECK(!r.header_read);
            CHECK(f.server->order(id)->end_time > before);
            CHECK(f.server->counter(id, "backup.renew").applied == 1);
        }
    }

    TEST_CASE("a stalled reply outlasts the client's timeout but the action was applied") {
        auto f = with_faults("stall=1,stall-time=60s");
        const auto id = active_us(f);
        auto r =
            f.send(http::verb::post,
                   make_target("/api/backup/us/renew.json", f.with_auth(renew(id))), {}, 300ms);
        CHECK(r.ec);
        CHECK(!r.header_read);
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        CHECK(f.server->order(id)->renewals == 1);
    }

    TEST_CASE("a truncated body: the header arrives, the body is cut, the action applied") {
        auto f = with_faults("truncate=1");
        const auto id = active_us(f);
        auto r = f.post("/api/backup/us/renew.json", renew(id));
        CHECK(r.header_read);
        CHECK(r.status == 200);
        CHECK(r.ec);
        CHECK_THROWS(r.json());
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
    }

    TEST_CASE("latency delays but answers") {
        auto f = with_faults("latency=20ms+10ms");
        auto r = f.get("/api/products/plan-details.json");
        CHECK(r.ok());
        CHECK(r.status == 200);
    }

    TEST_CASE("the denied auth-userid gets Access Denied; a wrong key gets Invalid credentials") {
        auto f = with_faults("deny-user=999999");
        auto denied = f.send(http::verb::get,
                             make_target("/api/products/plan-details.json",
                                         {{"auth-userid", "999999"}, {"api-key", "whatever"}}));
        CHECK(denied.status == 500);
        CHECK(f.message_of(denied) ==
              "Access Denied. You are not authorized to perform this action.");
        auto wrong =
            f.send(http::verb::get,
                   make_target("/api/products/plan-details.json",
                               {{"auth-userid", f.server->userid()}, {"api-key", "nope"}}));
        CHECK(f.message_of(wrong) == "Invalid credentials");
        auto none = f.send(http::verb::get, "/api/products/plan-details.json");
        CHECK(f.message_of(none) == "Invalid credentials");
        CHECK(f.get("/api/products/plan-details.json").status == 200);
    }

    TEST_CASE("faults follow decide_fault attempt by attempt, so a retry can succeed") {
        auto f = with_faults("close-before=0.3,429=0.3");
        const auto id = active_us(f);
        const auto& spec = f.server->service().options().faults;
        int faults = 0, successes = 0;
        for (std::uint64_t attempt = 1; attempt <= 20; ++attempt) {
            CAPTURE(attempt);
            const auto expected =
                rcbatch::sandbox::decide_fault(spec, 42, id, "backup.details", attempt).kind;
            auto r = f.get("/api/backup/us/details.json", {{"order-id", std::to_string(id)}});
            switch (expected) {
                case FaultKind::none:
                    CHECK(r.status == 200);
                    ++successes;
                    break;
                case FaultKind::too_many_requests:
                    CHECK(r.status == 429);
                    ++faults;
                    break;
                case FaultKind::close_before:
                    CHECK(!r.header_read);
                    ++faults;
                    break;
                default:
                    FAIL("unexpected kind");
            }
        }
        CHECK(faults > 0);
        CHECK(successes > 0);
        CHECK(f.server->counter(id, "backup.details").received == 20);
        CHECK(f.server->counter(id, "backup.details").applied ==
              static_cast<std::uint64_t>(successes));
    }
}

}  // namespace faults_test
