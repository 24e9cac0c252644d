#pragma once
// What the hostile end-to-end tests of `rcbatch serve` share: a ledger holding a real run (a
// job against a sandbox child, as a user runs it), and a raw HTTP client on 127.0.0.1 that
// sends its bytes exactly as given (no target normalised, no header checked) and reads what
// comes back, every connection under its own deadline and all of them under one bound.

#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/serve_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::test {

// One response as the client read it.
struct RawResponse {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> fields;  // as sent, in order
    std::string body;

    // The first value of the header `name` (any case); "" when it has none.
    std::string header(std::string_view name) const {
        for (const auto& [n, v] : fields)
            if (std::equal(n.begin(), n.end(), name.begin(), name.end(),
                           [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
                return v;
        return {};
    }
    bool has_header(std::string_view name) const {
        return std::any_of(fields.begin(), fields.end(), [&](const auto& f) {
            return std::equal(f.first.begin(), f.first.end(), name.begin(), name.end(),
                              [](char a, char b) { return std::tolower(a) == std::tolower(b); });
        });
    }
    // Every header line, "Name: value\n" each.
    std::string head() const {
        std::string out;
        for (const auto& [n, v] : fields) out += n + ": " + v + "\n";
        return out;
    }
};

// What one connection is to send and read.
struct RawSend {
    std::string bytes;          // sent as they are, then the client's side is shut down
    std::size_t responses = 1;  // read at most this many
    bool head = false;          // the first request is a HEAD: no body follows its answer
};

// What one connection saw: the responses it read, then how reading ended.
struct RawExchange {
    std::vector<RawResponse> responses;
    bool connected = false;
    bool closed = false;     // the server closed (end of stream, a reset, a cut response)
    bool timed_out = false;  // the connection's own deadline passed first
    std::string end;         // why reading ended, when it did before `responses` were read
};

namespace raw_http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

inline asio::awaitable<void> read_responses(beast::tcp_stream& stream, const RawSend& send,
                                            RawExchange& out) {
    beast::flat_buffer buffer;
    while (out.responses.size() < send.responses) {
        http::response_parser<http::string_body> parser;
        parser.header_limit(1 << 20);
        parser.body_limit(std::uint64_t{256} << 20);
        if (send.head && out.responses.empty()) parser.skip(true);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
        if (ec) {
            out.end = ec.message();
            out.timed_out = ec == beast::error::timeout;
            out.closed = ec == http::error::end_of_stream || ec == asio::error::eof ||
                         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                         ec == http::error::partial_message;
            co_return;
        }
        RawResponse r;
        r.status = parser.get().result_int();
        for (const auto& f : parser.get())
            r.fields.emplace_back(std::string(f.name_string()), std::string(f.value()));
        r.body = std::move(parser.get().body());
        out.responses.push_back(std::move(r));
    }
}

inline asio::awaitable<void> converse(unsigned short port, const RawSend& send, RawExchange& out,
                                      std::chrono::steady_clock::duration deadline) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(deadline);
    auto [cec] = co_await stream.async_connect(
        tcp::endpoint(asio::ip::address_v4::loopback(), port), as_tuple(use_awaitable));
    if (cec) {
        out.end = cec.message();
        co_return;
    }
    out.connected = true;
    auto write = [&]() -> asio::awaitable<void> {
        auto [ec, n] =
            co_await asio::async_write(stream, asio::buffer(send.bytes), as_tuple(use_awaitable));
        boost::system::error_code ignored;
        if (!ec) stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    };
    using namespace asio::experimental::awaitable_operators;
    co_await (write() && read_responses(stream, send, out));
}
}  // namespace raw_http

// Sends each of `sends` on its own connection to 127.0.0.1:`port`, `at_once` connections at a
// time, each under `deadline`; fails the test when they have not all ended within `bound`.
inline std::vector<RawExchange> raw_exchanges(
    unsigned short port, const std::vector<RawSend>& sends, std::size_t at_once = 1,
    std::chrono::steady_clock::duration deadline = std::chrono::seconds(20),
    std::chrono::steady_clock::duration bound = std::chrono::seconds(90)) {
    namespace asio = boost::asio;
    std::vector<RawExchange> out(sends.size());
    std::size_t next = 0, workers_done = 0;
    asio::io_context ioc;
    const std::size_t workers = std::max<std::size_t>(1, std::min(at_once, sends.size()));
    // N workers pull from one list.
    for (std::size_t w = 0; w < workers; ++w)
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                while (next < sends.size()) {
                    const std::size_t i = next++;
                    co_await raw_http::converse(port, sends[i], out[i], deadline);
                }
                ++workers_done;
            },
            asio::detached);
    const auto until = std::chrono::steady_clock::now() + bound;
    while (workers_done < workers && std::chrono::steady_clock::now() < until)
        ioc.run_one_until(until);
    REQUIRE_MESSAGE(workers_done == workers, "the test's connections did not end within its bound");
    return out;
}

// "METHOD TARGET HTTP/1.1" with Host, `headers` (each ending in CRLF), Connection: close and,
// with a body, its Content-Length.
inline std::string raw_request(const std::string& method, const std::string& target,
                               const std::string& headers = "", const std::string& body = "") {
    std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                      "Connection: close\r\n";
    if (!body.empty() || method == "POST")
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// The one response to `raw` on a connection of its own; fails the test when there is none.
inline RawResponse raw_response(unsigned short port, const std::string& raw, bool head = false) {
    auto ex = raw_exchanges(port, {RawSend{raw, 1, head}});
    CAPTURE(raw.substr(0, 200));
    CAPTURE(ex[0].end);
    REQUIRE(ex[0].responses.size() == 1);
    return ex[0].responses[0];
}

// The response to a GET of `target`, sent exactly as given.
inline RawResponse http_get(unsigned short port, const std::string& target,
                            const std::string& headers = "") {
    return raw_response(port, raw_request("GET", target, headers));
}

// The security headers every response of `rcbatch serve` carries.
inline void check_security_headers(const RawResponse& r) {
    CHECK(r.header("Content-Security-Policy").starts_with("default-src 'self'"));
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Referrer-Policy") == "no-referrer");
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK(r.header("X-Frame-Options") == "DENY");
}

// Every `href="/..."` of `html`, in page order (HTML references in it as they are: "&amp;").
inline std::vector<std::string> site_links(const std::string& html) {
    std::vector<std::string> out;
    const std::regex href("href=\"(/[^\"#]*)");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

// An href's text as a request target: its &amp; turned back into &.
inline std::string target_of_href(std::string href) {
    for (std::size_t at = 0; (at = href.find("&amp;", at)) != std::string::npos; ++at)
        href.replace(at, 5, "&");
    return href;
}

// The names of the first `n` active domain orders of the sandbox's own reseller.
inline std::vector<std::string> active_domains(std::size_t n) {
    sandbox::Service service(sandbox::Options{});
    std::vector<std::string> names;
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == sandbox::OrderKind::domain && order.status == "Active" &&
            names.size() < n)
            names.push_back(order.description);
    REQUIRE(names.size() == n);
    return names;
}

// A ledger with real runs: jobs run by the built binary against a sandbox child, each into
// REPORTS/JOB/<folder>, recorded in STATE/ledger.
struct LedgerWithRuns {
    TempDir tmp{"rcbatch-e2e-serve"};
    SandboxChild sandbox{(tmp.path / "ca.pem").string(), {}};
    std::filesystem::path profile = sandbox.write_profile(tmp.path / "profile.toml");
    std::filesystem::path reports = tmp.path / "reports";
    std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sandbox.api_key},
                                           {"RCBATCH_STATE_DIR", (tmp.path / "state").string()}};

    // Runs the job file `job`; its result.
    RunResult run(const std::filesystem::path& job) const {
        return run_rcbatch({"run", job.string(), "--config", profile.string(), "--quiet",
                            "--report-dir", reports.string()},
                           env);
    }

    // Writes and runs a backup.renew job `name` of `ids`; fails the test unless it exits
    // `exit_code`. Its run folder.
    std::filesystem::path renew(const std::string& name, const std::vector<std::int64_t>& ids,
                                int exit_code = 0) const {
        const std::filesystem::path job = tmp.path / (name + ".toml");
        {
            std::ofstream out(job);
            out << "name = \"" << name << "\"\naction = \"backup.renew\"\nregion = \"us\"\n"
                << "repeat-guard = \"0s\"\n[targets]\norder-ids = [";
            for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
            out << "]\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n"
                << "[run]\nconcurrency = 1\nrate = 0.0\n";
        }
        const RunResult r = run(job);
        CAPTURE(r.err);
        REQUIRE(r.exit_code == exit_code);
        const std::filesystem::path folder = run_folder(reports, name);
        REQUIRE_FALSE(folder.empty());
        return folder;
    }
};

}  // namespace rcbatch::test
