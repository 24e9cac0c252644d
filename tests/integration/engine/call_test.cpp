#include "engine/batch/call.hpp"

#include "engine/net/tls_context.hpp"
#include "engine/store/journal_lines.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/integration/engine/test_interpreter.hpp"
#include "tests/support/files.hpp"
#include "tests/support/scripted_tls_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <doctest/doctest.h>

namespace call_test {

using namespace rcbatch::engine;
using rcbatch::test::interpret_test_reply;
using rcbatch::test::run_async;
using rcbatch::test::ScriptedTlsServer;
using rcbatch::test::Step;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

HttpRequest request(bool mutating) {
    HttpRequest r;
    r.method = mutating ? rcbatch::engine::HttpMethod::post : rcbatch::engine::HttpMethod::get;
    r.target = mutating ? "/api/backup/us/renew.json" : "/api/backup/us/details.json?order-id=1";
    r.body = mutating ? "backup-order-id=1" : "";
    r.mutating = mutating;
    return r;
}

Step api_error(std::string message) {
    return Step::make(Step::Kind::reply, 500,
                      R"({"status":"ERROR","message":")" + message + R"("})");
}

// One worker's call machinery against the scripted server, with fast retries.
struct Fixture {
    asio::io_context ioc;
    ScriptedTlsServer server{ioc};
    asio::ssl::context tls =
        make_client_tls_context({.ca_file = {}, .ca_pem = server.ca_pem(), .system_ca = false});
    SessionSettings session_settings{
        .attempt_timeout = 2s, .shutdown_timeout = 1s, .body_limit = 1 << 20, .user_agent = {}};
    HttpsSession session{ioc.get_executor(), tls, Endpoint{"127.0.0.1", server.port(), "localhost"},
                         session_settings};
    RateLimiter limiter{ioc.get_executor(), 0.0};
    RunControl control{ioc.get_executor()};
    CallContext ctx{&session, limiter, control, RetrySettings{3, 1ms, 5ms}, [] { return 0.5; }};

    CallResult run(HttpRequest r) {
        CallResult result;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            result = co_await call(ctx, r, interpret_test_reply);
            co_await session.close();
        });
        return result;
    }
};

}  // namespace

TEST_SUITE("call") {
    TEST_CASE_FIXTURE(Fixture, "a read-only call retries 503s and ends ok") {
        server.script(
            {Step::status_code(503), Step::status_code(503, "0"), Step::ok(R"({"orderid":"1"})")});
        const auto r = run(request(false));
        CHECK(r.outcome == Outcome::ok);
        CHECK(r.attempts == 3);
        CHECK(r.verdict.kind == ReplyVerdict::Kind::ok);
        CHECK(server.requests().size() == 3);
        CHECK(ctx.attempts == 3);
        CHECK(ctx.retries == 2);
        CHECK_FALSE(ctx.mutating_may_have_left);
    }

    TEST_CASE_FIXTURE(Fixture, "a mutating call repeats a 429 with Retry-After and a 503 without") {
        server.script({Step::status_code(429, "0"), Step::status_code(503), Step::ok()});
        const auto r = run(request(true));
        CHECK(r.outcome == Outcome::ok);
        CHECK(r.attempts == 3);
        CHECK(ctx.mutating_may_have_left);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "a mutating call is never repeated once it may have been processed") {
        struct Row {
            Step step;
            Transport transport;
        };
        for (const Row& row : {Row{Step::of(Step::Kind::drop), Transport::closed_before_reply},
                               Row{Step::of(Step::Kind::truncated), Transport::truncated},
                               Row{Step::status_code(502), Transport::complete},
                               Row{Step::status_code(504), Transport::complete},
                               Row{Step::ok("<html>oops</html>"), Transport::complete}}) {
            Fixture f;
            f.server.script({row.step, Step::ok()});
            const auto r = f.run(request(true));
            CAPTURE(r.last.status);
            CAPTURE(r.last.error);
            CHECK(r.outcome == Outcome::ambiguous);
            CHECK(r.attempts == 1);
            CHECK(r.stop == RetryStop::unsafe_to_repeat);
            CHECK(static_cast<int>(r.last.transport) == static_cast<int>(row.transport));
            CHECK(f.server.requests().size() == 1);
            CHECK(f.ctx.mutating_may_have_left);
        }
    }

    TEST_CASE_FIXTURE(Fixture, "the same failures are repeated for a read-only call") {
        server.script({Step::of(Step::Kind::drop), Step::status_code(502), Step::ok()});
        const auto r = run(request(false));
        CHECK(r.outcome == Outcome::ok);
        CHECK(r.attempts == 3);
    }

    TEST_CASE_FIXTURE(Fixture, "an API error is final and carries the message") {
        server.script({api_error("No Entity found for Entityid: 1"), Step::ok()});
        const auto r = run(request(false));
        CHECK(r.outcome == Outcome::api_error);
        CHECK(r.attempts == 1);
        CHECK(r.stop == RetryStop::final_outcome);
        CHECK(r.verdict.message == "No Entity found for Entityid: 1");
        OrderResult o;
        fill_from_call(o, r);
        CHECK(o.outcome == Outcome::api_error);
        CHECK(o.http_status == 500);
        CHECK(o.message == "No Entity found for Entityid: 1");
        CHECK(o.attempts == 1);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "an API error on the transient list is repeated, even when mutating") {
        server.script({api_error("Busy, please try again"), Step::ok()});
        const auto r = run(request(true));
        CHECK(r.outcome == Outcome::ok);
        CHECK(r.attempts == 2);
    }

    TEST_CASE_FIXTURE(Fixture, "gives up after the last attempt") {
        server.script(
            {Step::status_code(503), Step::status_code(503), Step::status_code(503), Step::ok()});
        const auto r = run(request(false));
        CHECK(r.outcome == Outcome::transient);
        CHECK(r.attempts == 3);
        CHECK(r.stop == RetryStop::attempts_exhausted);
        CHECK(server.requests().size() == 3);
    }

    TEST_CASE_FIXTURE(Fixture, "a Retry-After beyond retry.max is not waited for") {
        server.script({Step::status_code(429, "3600"), Step::ok()});
        const auto r = run(request(true));
        CHECK(r.outcome == Outcome::transient);
        CHECK(r.attempts == 1);
        CHECK(r.stop == RetryStop::retry_after_too_long);
    }

    TEST_CASE_FIXTURE(Fixture, "a fatal answer halts the run: the next call sends nothing") {
        server.script({api_error("Access Denied. You are not authorized to perform this action."),
                       Step::ok()});
        CallResult first, second;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            first = co_await call(ctx, request(false), interpret_test_reply);
            second = co_await call(ctx, request(false), interpret_test_reply);
        });
        CHECK(first.outcome == Outcome::fatal);
        CHECK(first.attempts == 1);
        CHECK(control.halted());
        CHECK(control.reason() == StopReason::fatal);
        CHECK(control.message().find("Access Denied") != std::string::npos);
        CHECK(second.outcome == Outcome::not_run);
        CHECK(second.halted);
        CHECK(second.attempts == 0);
        CHECK(server.requests().size() == 1);
        OrderResult o;
        fill_from_call(o, second);
        CHECK(o.outcome == Outcome::not_run);
        CHECK(o.message == "not sent: the run was stopped");
    }

    TEST_CASE_FIXTURE(Fixture, "a halt during the backoff ends the call without another attempt") {
        ctx.retry = RetrySettings{5, 10s, 10s};  // a long backoff the halt must cut short
        server.script({Step::status_code(503, "5")});
        CallResult r;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            asio::steady_timer t(ioc.get_executor(), 100ms);
            t.async_wait([&](auto) { control.halt(StopReason::fatal, "elsewhere"); });
            r = co_await call(ctx, request(false), interpret_test_reply);
        });
        CHECK(r.outcome == Outcome::transient);
        CHECK(r.halted);
        CHECK(r.attempts == 1);
        CHECK(server.requests().size() == 1);
    }

    TEST_CASE_FIXTURE(
        Fixture,
        "requests that never left are repeated for a mutating call, then reported transient") {
        std::uint16_t closed_port = 0;
        {
            asio::ip::tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
            closed_port = a.local_endpoint().port();
        }
        HttpsSession refused(ioc.get_executor(), tls,
                             Endpoint{"127.0.0.1", closed_port, "localhost"}, session_settings);
        CallContext c{&refused, limiter, control, RetrySettings{3, 1ms, 5ms}, [] { return 0.5; }};
        CallResult r;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            r = co_await call(c, request(true), interpret_test_reply);
        });
        CHECK(r.outcome == Outcome::transient);
        CHECK(r.attempts == 3);
        CHECK(r.last.transport == Transport::not_sent);
        CHECK_FALSE(c.mutating_may_have_left);
        OrderResult o;
        fill_from_call(o, r);
        CHECK(o.message.find("connect") != std::string::npos);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "attempt 1's intent written with the claim is not written again; retries "
                      "and a later call write their own") {
        rcbatch::test::TempDir dir("rcbatch-call-journal");
        const auto path = dir.path / "journal.jsonl";
        Journal journal(ioc.get_executor(), path);
        ctx.journal = &journal;
        ctx.start_order(7);
        ctx.intent = R"("order":"1")";
        ctx.first_intent_on_disk = true;  // as the order's claim leaves it
        server.script({Step::status_code(429, "0"), Step::status_code(503), Step::ok(),
                       api_error("There is already an action pending on this Order.")});
        CallResult first, resend;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            first = co_await call(ctx, request(true), interpret_test_reply);
            resend = co_await call(ctx, request(true), interpret_test_reply);  // no claim before
            co_await session.close();
        });
        journal.close();
        CHECK(first.attempts == 3);
        CHECK(resend.attempts == 1);
        CHECK_FALSE(ctx.first_intent_on_disk);
        CHECK(rcbatch::test::slurp(path) == journal_intent_line(7, 2, ctx.intent) + "\n" +
                                                journal_intent_line(7, 3, ctx.intent) + "\n" +
                                                journal_intent_line(7, 1, ctx.intent) + "\n");
        ctx.start_order(8);
        CHECK_FALSE(ctx.first_intent_on_disk);
    }

    TEST_CASE_FIXTURE(Fixture, "every attempt takes a rate token") {
        server.script({Step::status_code(503), Step::ok()});
        RateLimiter capped{ioc.get_executor(), 0.001, 2.0};  // two tokens now, the next in 1000 s
        CallContext c{&session, capped, control, RetrySettings{3, 1ms, 5ms}, [] { return 0.5; }};
        CallResult r;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            r = co_await call(c, request(false), interpret_test_reply);
            co_await session.close();
        });
        CHECK(r.attempts == 2);
        CHECK(capped.reserve() > std::chrono::seconds(100));  // both tokens were taken
    }
}

}  // namespace call_test
