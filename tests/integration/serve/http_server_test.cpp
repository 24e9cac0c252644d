// The serve HTTP core on loopback: the security headers, the token and the login, hostile
// requests, deadlines, the connection limit and TLS. Every exchange runs under a bound, and
// every assertion counts events (responses, closes, refusals), never elapsed time.
#include "serve/http/http_server.hpp"

#include "sandbox/server/certificate.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace http_server_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using namespace rcbatch::serve;
using namespace std::chrono_literals;
using Response = http::response<http::string_body>;

namespace {

const std::string token = "0123456789abcdefXYZ";

ServerSetup loopback_setup(std::optional<std::string> with_token = std::nullopt) {
    ServerSetup setup;
    setup.listen = ListenAddress{asio::ip::address_v4::loopback(), 0};
    setup.token = std::move(with_token);
    return setup;
}

// A server with a trivial handler: "/" is a page, "/throw" throws, anything else is a 404.
struct Fixture {
    explicit Fixture(ServerSetup setup) {
        server = std::make_unique<HttpServer>(ioc, std::move(setup), [this](const PageRequest& r) {
            ++handled;
            last = r;
            const auto path = r.target.substr(0, r.target.find('?'));
            if (path == "/throw") throw std::runtime_error("database detail " + token);
            PageResponse page;
            if (path == "/file") {
                std::string error;
                auto file = rcbatch::engine::open_regular_file(file_to_serve, ~0ull, error,
                                                               rcbatch::engine::Links::refuse);
                REQUIRE(file.has_value());
                page.content_type = "text/csv";
                page.file = std::make_shared<rcbatch::engine::RegularFile>(std::move(*file));
            } else if (path == "/" || path == "/login") {
                page.body = "<p>hello</p>";
                page.headers.emplace_back("Refresh", "5");
            } else {
                page.status = 404;
                page.body = "<p>no such page</p>";
            }
            return page;
        });
    }
    tcp::endpoint endpoint() const { return {asio::ip::address_v4::loopback(), server->port()}; }

    // Runs `task` on the io_context until it finishes, within `bound`.
    template <class T>
    T run(asio::awaitable<T> task, std::chrono::steady_clock::duration bound = 60s) {
        std::optional<T> out;
        std::exception_ptr error;
        bool done = false;
        asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T value) {
            done = true;
            error = e;
            if (!e) out.emplace(std::move(value));
        });
        const auto deadline = std::chrono::steady_clock::now() + bound;
        while (!done && std::chrono::steady_clock::now() < deadline) ioc.run_one_until(deadline);
        REQUIRE_MESSAGE(done, "the test's client did not finish within its bound");
        if (error) std::rethrow_exception(error);
        return std::move(*out);
    }

    asio::io_context ioc;
    std::unique_ptr<HttpServer> server;
    std::uint64_t handled = 0;
    PageRequest last;
    std::filesystem::path file_to_serve;
};

std::string request(std::string_view method, std::string_view target, std::string_view headers = "",
                    std::string_view body = "") {
    std::string out = std::string(method) + " " + std::string(target) +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(headers);
    if (!body.empty() || method == "POST")
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return out + "\r\n" + std::string(body);
}

// What a client saw on one connection: the responses it read, then how reading ended.
struct Conversation {
    std::vector<Response> responses;
    boost::system::error_code end;  // eof or a reset: the server closed
    bool connected = false;
};

// Reads responses from `stream` until `count` are read or it fails (the first skipping its
// body when `head_first`); then, with `until_closed`, reads on until the server closes.
template <class Stream>
asio::awaitable<void> read_responses(Stream& stream, beast::flat_buffer& buffer, Conversation& out,
                                     std::size_t count, bool until_closed, bool head_first) {
    while (out.responses.size() < count) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(1 << 20);
        if (head_first && out.responses.empty()) parser.skip(true);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
        if (ec) {
            out.end = ec;
            co_return;
        }
        out.responses.push_back(parser.release());
    }
    while (until_closed) {
        char sink[4096];
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
        if (ec) {
            out.end = ec;
            co_return;
        }
    }
}

// Connects, sends `raw` while reading up to `count` responses (all there are when
// `until_closed`), all within the client's own bound.
asio::awaitable<Conversation> converse(tcp::endpoint to, std::string raw, std::size_t count = 1,
                                       bool until_closed = false, bool head_first = false) {
    Conversation out;
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(30s);
    auto [cec] = co_await stream.async_connect(to, as_tuple(use_awaitable));
    if (cec) {
        out.end = cec;
        co_return out;
    }
    out.connected = true;
    beast::flat_buffer buffer;
    auto write = [&]() -> asio::awaitable<void> {
        co_await asio::async_write(stream, asio::buffer(raw), as_tuple(use_awaitable));
    };
    co_await (write() && read_responses(stream, buffer, out, count, until_closed, head_first));
    co_return out;
}

bool closed_by_server(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == http::error::partial_message;
}

void check_security_headers(const Response& res) {
    CHECK(res["Content-Security-Policy"] ==
          "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    CHECK(res["X-Content-Type-Options"] == "nosniff");
    CHECK(res["Referrer-Policy"] == "no-referrer");
    CHECK(res["Cache-Control"] == "no-store");
    CHECK(res["X-Frame-Options"] == "DENY");
    CHECK(res["Server"] == "rcbatch");
}

// One of the hostile requests: the server answers 4xx and keeps the connection, or (`fatal`)
// answers 4xx and closes it.
std::string hostile(std::size_t kind, bool fatal, std::mt19937& random) {
    if (!fatal) {
        switch (kind % 7) {
            case 0:
                return request("GET", "/");  // no token
            case 1:
                return request("GET", "/", "Authorization: Bearer wrong-wrong-wrong\r\n");
            case 2:
                return request("POST", "/run/1", "Authorization: Bearer " + token + "\r\n", "abc");
            case 3:
                return request("BREW", "/pot");
            case 4:
                return request("GET", "/" + std::string(3000, 'u'));
            case 5:
                return request("POST", "/login",
                               "Content-Type: application/x-www-form-urlencoded\r\n",
                               "token=wrong");
            default:
                return request("GET", "http://evil.example/");
        }
    }
    switch (kind % 7) {
        case 0:
            return request("GET", "/", "X-Big: " + std::string(100 * 1024, 'h') + "\r\n");
        case 1:
            return request("GET", "/" + std::string(1024 * 1024, 'u'));
        case 2: {
            std::string garbage(512, '\0');
            for (char& c : garbage) c = static_cast<char>(random() % 256);
            return garbage + "\r\n\r\n";
        }
        case 3:
            return request("GET", "/", std::string("X-Nul: a\0b\r\n", 12));
        case 4:
            return "GET /\r\nHost: 127.0.0.1\r\n\r\n";
        case 5: {
            std::string headers;
            for (int i = 0; i < 10000; ++i) headers += "X-H" + std::to_string(i) + ": v\r\n";
            return request("GET", "/", headers);
        }
        default:
            return request("POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
                           "token=" + std::string(100 * 1024, 'b'));
    }
}

}  // namespace

TEST_SUITE("serve http server") {
    TEST_CASE("pages, the handler's 404 and a HEAD carry the security headers") {
        Fixture f(loopback_setup());
        auto page = f.run(converse(f.endpoint(), request("GET", "/?x=1")));
        REQUIRE(page.responses.size() == 1);
        CHECK(page.responses[0].result_int() == 200);
        CHECK(page.responses[0].body() == "<p>hello</p>");
        CHECK(page.responses[0]["Refresh"] == "5");
        check_security_headers(page.responses[0]);
        CHECK(f.last.method == "GET");
        CHECK(f.last.target == "/?x=1");
        CHECK_FALSE(f.last.tls);

        auto missing = f.run(converse(f.endpoint(), request("GET", "/nothing")));
        REQUIRE(missing.responses.size() == 1);
        CHECK(missing.responses[0].result_int() == 404);
        check_security_headers(missing.responses[0]);

        // HEAD: GET's headers, no body (the GET after it on the same connection reads cleanly).
        auto head = f.run(
            converse(f.endpoint(), request("HEAD", "/") + request("GET", "/"), 2, false, true));
        REQUIRE(head.responses.size() == 2);
        CHECK(head.responses[0].result_int() == 200);
        CHECK(head.responses[0][http::field::content_length] == "12");
        CHECK(head.responses[0].body().empty());
        check_security_headers(head.responses[0]);
        CHECK(head.responses[1].body() == "<p>hello</p>");
        CHECK(f.last.method == "GET");
        CHECK(f.handled == 4);
        CHECK(f.server->refused() == 0);

        // Without a token, /login is an ordinary page, POST included.
        auto login = f.run(converse(f.endpoint(), request("POST", "/login", "", "a=1")));
        REQUIRE(login.responses.size() == 1);
        CHECK(login.responses[0].result_int() == 200);
        CHECK(f.last.body == "a=1");
    }

    TEST_CASE("a file body: every byte, chunked, each line through the redaction point") {
        Fixture f(loopback_setup(token));  // the server registers its token as a secret
        rcbatch::test::TempDir dir("rcbatch-serve-file");
        f.file_to_serve = dir.path / "results.csv";
        std::string written, expected;
        for (int i = 0; i < 15'000; ++i) {
            const std::string line = "line " + std::to_string(i) + ",some cells of text,0123\n";
            written += i == 7'777 ? "quoted " + token + "\n" : line;
            expected += i == 7'777 ? "quoted ***\n" : line;
        }
        written += "a last line without its end";
        expected += "a last line without its end";
        std::ofstream(f.file_to_serve, std::ios::binary) << written;
        const std::string auth = "Authorization: Bearer " + token + "\r\n";
        auto got = f.run(converse(f.endpoint(), request("GET", "/file", auth)));
        REQUIRE(got.responses.size() == 1);
        const Response& res = got.responses[0];
        CHECK(res.result_int() == 200);
        CHECK(res.chunked());
        CHECK(res["Content-Type"] == "text/csv");
        check_security_headers(res);
        CHECK(res.body().size() == expected.size());
        CHECK(res.body() == expected);
        // HEAD: the headers alone, and the connection serves on.
        auto head =
            f.run(converse(f.endpoint(), request("HEAD", "/file", auth) + request("GET", "/", auth),
                           2, false, true));
        REQUIRE(head.responses.size() == 2);
        CHECK(head.responses[0].body().empty());
        CHECK(head.responses[1].body() == "<p>hello</p>");
    }

    TEST_CASE("a handler that throws gets a fixed 500, never the exception's text") {
        Fixture f(loopback_setup(token));  // the line on stderr shows *** for the token
        const std::string bearer = "Authorization: Bearer " + token + "\r\n";
        auto failed = f.run(converse(
            f.endpoint(), request("GET", "/throw", bearer) + request("GET", "/", bearer), 2));
        REQUIRE(failed.responses.size() == 2);
        CHECK(failed.responses[0].result_int() == 500);
        CHECK(failed.responses[0].body() == "Internal server error\n");
        check_security_headers(failed.responses[0]);
        CHECK(failed.responses[1].result_int() == 200);  // the connection goes on
    }

    TEST_CASE("with a token: 401 without it or with a wrong one, 200 with the bearer or cookie") {
        Fixture f(loopback_setup(token));
        auto none = f.run(converse(f.endpoint(), request("GET", "/")));
        REQUIRE(none.responses.size() == 1);
        CHECK(none.responses[0].result_int() == 401);
        CHECK(none.responses[0][http::field::www_authenticate] == "Bearer");
        CHECK(none.responses[0].body().find("href=\"/login\"") != std::string::npos);
        check_security_headers(none.responses[0]);

        auto wrong =
            f.run(converse(f.endpoint(),
                           request("GET", "/", "Authorization: Bearer " + token + "x\r\n") +
                               request("GET", "/", "Cookie: rcbatch_token=nope\r\n"),
                           2));
        REQUIRE(wrong.responses.size() == 2);
        CHECK(wrong.responses[0].result_int() == 401);
        CHECK(wrong.responses[1].result_int() == 401);
        CHECK(f.handled == 0);
        CHECK(f.server->refused() == 3);

        auto bearer = f.run(
            converse(f.endpoint(), request("GET", "/", "Authorization: Bearer " + token + "\r\n")));
        REQUIRE(bearer.responses.size() == 1);
        CHECK(bearer.responses[0].result_int() == 200);
        auto cookie = f.run(
            converse(f.endpoint(),
                     request("GET", "/", "Cookie: theme=dark; rcbatch_token=" + token + "\r\n")));
        REQUIRE(cookie.responses.size() == 1);
        CHECK(cookie.responses[0].result_int() == 200);
        CHECK(f.handled == 2);
    }

    TEST_CASE("POST /login with the right token sets the cookie and redirects to /") {
        Fixture f(loopback_setup(token));
        auto form = f.run(converse(f.endpoint(), request("GET", "/login")));
        REQUIRE(form.responses.size() == 1);
        CHECK(form.responses[0].result_int() == 200);
        CHECK(form.responses[0].body().find("name=\"token\"") != std::string::npos);
        check_security_headers(form.responses[0]);

        const std::string form_type = "Content-Type: application/x-www-form-urlencoded\r\n";
        auto ok =
            f.run(converse(f.endpoint(), request("POST", "/login", form_type, "token=" + token)));
        REQUIRE(ok.responses.size() == 1);
        CHECK(ok.responses[0].result_int() == 303);
        CHECK(ok.responses[0][http::field::location] == "/");
        CHECK(ok.responses[0][http::field::set_cookie] ==
              "rcbatch_token=" + token + "; HttpOnly; SameSite=Strict; Path=/");
        check_security_headers(ok.responses[0]);

        auto wrong =
            f.run(converse(f.endpoint(), request("POST", "/login", form_type, "token=nope")));
        REQUIRE(wrong.responses.size() == 1);
        CHECK(wrong.responses[0].result_int() == 401);
        CHECK(wrong.responses[0].count(http::field::set_cookie) == 0);
        CHECK(wrong.responses[0].body().find("<form") != std::string::npos);
        CHECK(f.handled == 0);
    }

    TEST_CASE("10,000 hostile requests are each refused or closed; the server serves on") {
        Fixture f(loopback_setup(token));
        constexpr std::size_t connections = 250;
        constexpr std::size_t per_connection = 40;  // the last one ends the connection
        constexpr std::size_t workers = 25;
        std::mt19937 random(24);
        std::vector<std::string> payloads;
        for (std::size_t c = 0; c < connections; ++c) {
            std::string raw;
            for (std::size_t i = 0; i + 1 < per_connection; ++i)
                raw += hostile(c + i, false, random);
            raw += hostile(c, true, random);
            payloads.push_back(std::move(raw));
        }
        struct Tally {
            std::size_t answers = 0, not_4xx = 0, closed = 0, other_end = 0, fatal_answered = 0;
        } tally;
        auto worker = [&](std::size_t w) -> asio::awaitable<void> {
            for (std::size_t c = w; c < connections; c += workers) {
                auto talk = co_await converse(f.endpoint(), payloads[c], per_connection, true);
                REQUIRE(talk.connected);
                for (const auto& res : talk.responses) {
                    ++tally.answers;
                    if (res.result_int() < 400 || res.result_int() >= 500) ++tally.not_4xx;
                    check_security_headers(res);
                }
                if (talk.responses.size() == per_connection) ++tally.fatal_answered;
                if (closed_by_server(talk.end))
                    ++tally.closed;
                else
                    ++tally.other_end;
            }
        };
        // The workers run side by side; each counts into the tally.
        std::size_t finished = 0;
        for (std::size_t w = 0; w < workers; ++w)
            asio::co_spawn(f.ioc, worker(w), [&](std::exception_ptr e) {
                ++finished;
                if (e) std::rethrow_exception(e);
            });
        const auto deadline = std::chrono::steady_clock::now() + 300s;
        while (finished < workers && std::chrono::steady_clock::now() < deadline)
            f.ioc.run_one_until(deadline);
        REQUIRE(finished == workers);
        CAPTURE(tally.answers);
        CAPTURE(tally.fatal_answered);
        CHECK(tally.not_4xx == 0);
        CHECK(tally.closed == connections);
        CHECK(tally.other_end == 0);
        CHECK(tally.answers > 0);  // a reset may cut a connection's last answers
        CHECK(f.server->refused() == connections * per_connection);
        CHECK(f.handled == 0);

        auto good = f.run(
            converse(f.endpoint(), request("GET", "/", "Authorization: Bearer " + token + "\r\n")));
        REQUIRE(good.responses.size() == 1);
        CHECK(good.responses[0].result_int() == 200);
        CHECK(f.handled == 1);
    }

    TEST_CASE("a client that stalls, sends nothing or trickles is closed at the request deadline") {
        auto setup = loopback_setup();
        setup.limits.request_deadline = 200ms;
        Fixture f(setup);
        auto half = f.run(converse(f.endpoint(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 1, true));
        CHECK(half.responses.empty());
        CHECK_MESSAGE(closed_by_server(half.end), half.end.message());
        auto silent = f.run(converse(f.endpoint(), "", 1, true));
        CHECK(silent.responses.empty());
        CHECK_MESSAGE(closed_by_server(silent.end), silent.end.message());

        // One byte every 20 ms, without end: the deadline is for the whole request.
        auto trickle = [&]() -> asio::awaitable<std::pair<std::size_t, boost::system::error_code>> {
            beast::tcp_stream stream(co_await asio::this_coro::executor);
            stream.expires_after(30s);
            co_await stream.async_connect(f.endpoint(), use_awaitable);
            std::size_t sent = 0;
            boost::system::error_code end;
            auto write = [&]() -> asio::awaitable<void> {
                const std::string text = "GET /" + std::string(4000, 'a');
                asio::steady_timer pause(co_await asio::this_coro::executor);
                for (; sent < text.size() && !end; ++sent) {
                    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(&text[sent], 1),
                                                              as_tuple(use_awaitable));
                    if (ec) co_return;
                    pause.expires_after(20ms);
                    co_await pause.async_wait(as_tuple(use_awaitable));
                }
            };
            auto read = [&]() -> asio::awaitable<void> {
                char sink[64];
                auto [ec, n] =
                    co_await stream.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
                end = ec ? ec : asio::error::message_size;
            };
            co_await (write() && read());
            co_return std::pair{sent, end};
        };
        auto [sent, end] = f.run(trickle());
        CHECK_MESSAGE(closed_by_server(end), end.message());
        CHECK(sent < 4000);
        CHECK(f.handled == 0);
    }

    TEST_CASE("a keep-alive connection ends at the idle deadline and after its request quota") {
        auto setup = loopback_setup();
        setup.limits.idle_deadline = 200ms;
        setup.limits.requests_per_connection = 2;
        Fixture f(setup);
        auto idle = f.run(converse(f.endpoint(), request("GET", "/"), 1, true));
        REQUIRE(idle.responses.size() == 1);
        CHECK(idle.responses[0].keep_alive());
        CHECK_MESSAGE(closed_by_server(idle.end), idle.end.message());

        const std::string get = request("GET", "/");
        auto quota = f.run(converse(f.endpoint(), get + get + get, 3, true));
        REQUIRE(quota.responses.size() == 2);
        CHECK(quota.responses[0].keep_alive());
        CHECK_FALSE(quota.responses[1].keep_alive());
        CHECK_MESSAGE(closed_by_server(quota.end), quota.end.message());
        CHECK(f.handled == 3);
    }

    TEST_CASE("stop() closes the open connections and accepts no more") {
        Fixture f(loopback_setup());
        auto held = [&]() -> asio::awaitable<std::pair<unsigned, boost::system::error_code>> {
            beast::tcp_stream stream(co_await asio::this_coro::executor);
            stream.expires_after(30s);
            co_await stream.async_connect(f.endpoint(), use_awaitable);
            const std::string get = request("GET", "/");
            co_await asio::async_write(stream, asio::buffer(get), use_awaitable);
            beast::flat_buffer buffer;
            Response res;
            co_await http::async_read(stream, buffer, res, use_awaitable);
            f.server->stop();
            char sink[64];
            auto [ec, n] =
                co_await stream.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
            co_return std::pair{res.result_int(), ec};
        };
        const auto endpoint = f.endpoint();
        auto [status, end] = f.run(held());
        CHECK(status == 200);
        CHECK_MESSAGE(closed_by_server(end), end.message());
        auto after = f.run(converse(endpoint, request("GET", "/")));
        CHECK_FALSE(after.connected);
        CHECK(after.end == asio::error::connection_refused);
    }

    TEST_CASE("stop with grace: idle connections close, a download begun is finished") {
        Fixture f(loopback_setup());
        rcbatch::test::TempDir dir("rcbatch-serve-drain");
        f.file_to_serve = dir.path / "results.csv";
        std::string written;
        // Far more than the socket buffers between them: the server is still writing it.
        while (written.size() < (8u << 20)) written += "line of cells,12345,some more text\n";
        std::ofstream(f.file_to_serve, std::ios::binary) << written;

        struct Seen {
            unsigned idle_status = 0;
            boost::system::error_code idle_end, download_end;
            bool download_keep_alive = false;
            std::size_t download_bytes = 0;
        };
        auto clients = [&]() -> asio::awaitable<Seen> {
            Seen seen;
            const auto executor = co_await asio::this_coro::executor;
            beast::tcp_stream idle(executor), download(executor);
            idle.expires_after(60s);
            download.expires_after(60s);
            co_await idle.async_connect(f.endpoint(), use_awaitable);
            const std::string get = request("GET", "/");
            co_await asio::async_write(idle, asio::buffer(get), use_awaitable);
            beast::flat_buffer idle_buffer, buffer;
            Response res;
            co_await http::async_read(idle, idle_buffer, res, use_awaitable);
            seen.idle_status = res.result_int();

            download.socket().open(tcp::v4());
            download.socket().set_option(asio::socket_base::receive_buffer_size(4096));
            co_await download.async_connect(f.endpoint(), use_awaitable);
            const std::string get_file = request("GET", "/file");
            co_await asio::async_write(download, asio::buffer(get_file), use_awaitable);
            http::response_parser<http::string_body> parser;
            parser.body_limit(64u << 20);
            co_await http::async_read_header(download, buffer, parser, use_awaitable);
            seen.download_keep_alive = parser.get().keep_alive();

            f.server->stop(60s);
            // The idle connection is closed while the download waits for this client to read.
            char sink[64];
            auto [idle_ec, n] =
                co_await idle.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
            seen.idle_end = idle_ec;
            auto [read_ec, m] =
                co_await http::async_read(download, buffer, parser, as_tuple(use_awaitable));
            seen.download_bytes = read_ec ? 0 : parser.get().body().size();
            auto [end_ec, k] =
                co_await download.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
            seen.download_end = end_ec;
            co_return seen;
        };
        const auto endpoint = f.endpoint();
        const Seen seen = f.run(clients());
        CHECK(seen.idle_status == 200);
        CHECK_MESSAGE(closed_by_server(seen.idle_end), seen.idle_end.message());
        CHECK(seen.download_keep_alive);  // begun before the stop
        CHECK(seen.download_bytes == written.size());
        CHECK_MESSAGE(closed_by_server(seen.download_end), seen.download_end.message());
        auto after = f.run(converse(endpoint, request("GET", "/")));
        CHECK_FALSE(after.connected);
        // Nothing is left for the io_context: the grace timer went with the last connection
        // (had it not, run_for would wait out its bound with the timer pending).
        f.ioc.restart();
        f.ioc.run_for(30s);
        CHECK(f.ioc.stopped());
    }

    TEST_CASE("out of descriptors, the server waits between accepts, then serves the client") {
        Fixture f(loopback_setup());
        tcp::socket client(f.ioc);
        client.connect(f.endpoint());  // the kernel completes it; the server has not accepted
        const std::string get = request("GET", "/");
        asio::write(client, asio::buffer(get));

        // No descriptor is left for the server's accept: the lowest free one is the limit.
        rlimit saved{};
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
        const int lowest_free = ::dup(0);
        REQUIRE(lowest_free >= 0);
        ::close(lowest_free);
        rlimit low = saved;
        low.rlim_cur = static_cast<rlim_t>(lowest_free);
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        // A loop retrying the failed accept at once would run thousands of handlers here.
        const std::size_t handlers = f.ioc.run_for(300ms);
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
        CHECK(handlers < 50);
        CHECK(f.handled == 0);

        auto read = [&]() -> asio::awaitable<unsigned> {
            beast::tcp_stream stream(std::move(client));
            stream.expires_after(30s);
            beast::flat_buffer buffer;
            Response res;
            co_await http::async_read(stream, buffer, res, use_awaitable);
            co_return res.result_int();
        };
        CHECK(f.run(read()) == 200);
        CHECK(f.handled == 1);
    }

    TEST_CASE("with 64 connections open, the 65th gets 503 and is closed") {
        Fixture f(loopback_setup());
        // The 64 stay open while the 65th is tried: both run inside one coroutine.
        auto both = [&]() -> asio::awaitable<std::pair<std::size_t, Conversation>> {
            std::vector<std::unique_ptr<beast::tcp_stream>> open;
            beast::flat_buffer buffer;
            std::size_t ok = 0;
            const std::string get = request("GET", "/");
            for (int i = 0; i < 64; ++i) {
                auto& s = *open.emplace_back(
                    std::make_unique<beast::tcp_stream>(co_await asio::this_coro::executor));
                s.expires_after(30s);
                co_await s.async_connect(f.endpoint(), use_awaitable);
                co_await asio::async_write(s, asio::buffer(get), use_awaitable);
                Response res;
                buffer.clear();
                co_await http::async_read(s, buffer, res, use_awaitable);
                if (res.result_int() == 200 && res.keep_alive()) ++ok;
            }
            auto extra = co_await converse(f.endpoint(), get, 1, true);
            co_return std::pair{ok, std::move(extra)};
        };
        auto [ok, extra] = f.run(both());
        CHECK(ok == 64);
        REQUIRE(extra.responses.size() == 1);
        CHECK(extra.responses[0].result_int() == 503);
        check_security_headers(extra.responses[0]);
        CHECK_FALSE(extra.responses[0].keep_alive());
        CHECK_MESSAGE(closed_by_server(extra.end), extra.end.message());
        CHECK(f.handled == 64);
    }

    TEST_CASE("over TLS a client gets 200 and the login cookie is Secure") {
        rcbatch::test::TempDir tmp{"rcbatch-serve-tls"};
        const auto pki = rcbatch::sandbox::make_pki();
        std::ofstream(tmp.path / "cert.pem") << pki.server_cert_pem;
        std::ofstream(tmp.path / "key.pem") << pki.server_key_pem;
        ::chmod((tmp.path / "key.pem").c_str(), 0600);
        auto setup = loopback_setup(token);
        setup.tls = TlsFiles{tmp.path / "cert.pem", tmp.path / "key.pem"};
        Fixture f(setup);

        auto client = [&]() -> asio::awaitable<std::vector<Response>> {
            asio::ssl::context context(asio::ssl::context::tls_client);
            context.add_certificate_authority(asio::buffer(pki.ca_pem));
            context.set_verify_mode(asio::ssl::verify_peer);
            asio::ssl::stream<beast::tcp_stream> stream(co_await asio::this_coro::executor,
                                                        context);
            SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
            stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
            beast::get_lowest_layer(stream).expires_after(30s);
            co_await beast::get_lowest_layer(stream).async_connect(f.endpoint(), use_awaitable);
            co_await stream.async_handshake(asio::ssl::stream_base::client, use_awaitable);
            const std::string raw =
                request("POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
                        "token=" + token) +
                request("GET", "/", "Cookie: rcbatch_token=" + token + "\r\n");
            co_await asio::async_write(stream, asio::buffer(raw), use_awaitable);
            std::vector<Response> out(2);
            beast::flat_buffer buffer;
            for (auto& res : out) co_await http::async_read(stream, buffer, res, use_awaitable);
            co_return out;
        };
        auto responses = f.run(client());
        CHECK(responses[0].result_int() == 303);
        CHECK(responses[0][http::field::set_cookie] ==
              "rcbatch_token=" + token + "; HttpOnly; SameSite=Strict; Path=/; Secure");
        CHECK(responses[1].result_int() == 200);
        CHECK(responses[1].body() == "<p>hello</p>");
        check_security_headers(responses[1]);
        CHECK(f.last.tls);

        // A plain client on the TLS port is not served.
        auto plain = f.run(converse(f.endpoint(), request("GET", "/"), 1, true));
        CHECK(plain.responses.empty());
        CHECK(f.handled == 1);
    }

    TEST_CASE(
        "a port in use, a missing certificate, a key of another certificate or open to others are "
        "refused") {
        Fixture f(loopback_setup());
        auto taken = loopback_setup();
        taken.listen.port = f.server->port();
        asio::io_context ioc;
        try {
            HttpServer second(ioc, taken, [](const PageRequest&) { return PageResponse{}; });
            FAIL("a second server bound the same port");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) ==
                  "cannot listen on " + taken.listen.text() + ": Address already in use");
        }

        rcbatch::test::TempDir tmp{"rcbatch-serve-tls"};
        const auto pki = rcbatch::sandbox::make_pki();
        const auto other = rcbatch::sandbox::make_pki();
        std::ofstream(tmp.path / "cert.pem") << pki.server_cert_pem;
        std::ofstream(tmp.path / "other-key.pem") << other.server_key_pem;
        std::ofstream(tmp.path / "junk.pem") << "not a certificate";
        std::ofstream(tmp.path / "open-key.pem") << pki.server_key_pem;
        ::chmod((tmp.path / "other-key.pem").c_str(), 0600);
        ::chmod((tmp.path / "junk.pem").c_str(), 0640);  // a group may read it (ssl-cert)
        ::chmod((tmp.path / "open-key.pem").c_str(), 0604);
        struct Case {
            TlsFiles files;
            std::string says;
        };
        for (const Case& c : {
                 Case{
                     {tmp.path / "missing.pem", tmp.path / "other-key.pem"},
                     (tmp.path / "missing.pem").string() + ": the certificate file does not exist"},
                 Case{{tmp.path / "junk.pem", tmp.path / "other-key.pem"},
                      (tmp.path / "junk.pem").string() + ": not a PEM certificate chain"},
                 Case{{tmp.path / "cert.pem", tmp.path / "junk.pem"},
                      (tmp.path / "junk.pem").string() + ": not a PEM private key"},
                 Case{{tmp.path / "cert.pem", tmp.path / "other-key.pem"},
                      (tmp.path / "other-key.pem").string() +
                          ": the private key does not match the certificate"},
                 Case{{tmp.path / "cert.pem", tmp.path / "open-key.pem"},
                      (tmp.path / "open-key.pem").string() +
                          ": the TLS key can be read by others; run chmod 600 " +
                          (tmp.path / "open-key.pem").string()},
             }) {
            CAPTURE(c.says);
            auto setup = loopback_setup();
            setup.tls = c.files;
            try {
                HttpServer server(ioc, setup, [](const PageRequest&) { return PageResponse{}; });
                FAIL("the server started");
            } catch (const std::runtime_error& e) {
                CAPTURE(e.what());
                CHECK(std::string(e.what()).starts_with(c.says));
            }
        }
    }
}

}  // namespace http_server_test
