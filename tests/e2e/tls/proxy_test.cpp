// `rcbatch run` through an HTTP proxy as a reseller sets it up: HTTPS_PROXY / NO_PROXY, or
// the profile's `proxy` key (which wins, and `proxy = ""` means none). The proxy password
// never appears in anything the run prints or writes.
#include "sandbox/server/background.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

namespace proxy_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;
using rcbatch::test::TinyProxy;
using namespace std::chrono_literals;

namespace {

constexpr const char* secret = "Pr0xy-s3cret";
using Env = std::map<std::string, std::string>;

// A sandbox on a port chosen first (tinyproxy must allow CONNECT to it), a profile and a job.
struct Setup {
    explicit Setup(const std::string& profile_proxy_line = "")
        : sandbox(options()), ca((dir.path / "ca.pem").string()) {
        sandbox.write_ca(ca);
        std::ofstream(dir.path / "profiles.toml")
            << "[profiles.t]\nenvironment = \"test\"\nauth-userid = " << sandbox.userid()
            << "\nendpoint = \"" << sandbox.url() << "\"\nca-file = \"" << ca << "\"\n"
            << profile_proxy_line << "\n";
        std::ofstream job(dir.path / "p.toml");
        job << "name = \"p\"\naction = \"backup.details\"\nregion = \"us\"\nprofile = "
               "\"t\"\n[targets]\n"
            << "order-ids = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, "
               "1012]\n"
            << "[run]\nconcurrency = 3\nrate = 0.0\ntimeout = \"5s\"\n"
            << "retry = { attempts = 3, base = \"10ms\", max = \"50ms\" }\n";
    }
    static rcbatch::sandbox::Options options() {
        rcbatch::sandbox::Options o;
        o.port = rcbatch::test::free_loopback_port();
        return o;
    }

    // The run, with no proxy variable from the test's own environment, plus `env`.
    rcbatch::test::RunResult run(Env env) const {
        Env all{{"https_proxy", ""}, {"HTTPS_PROXY", ""}, {"all_proxy", ""},
                {"ALL_PROXY", ""},   {"no_proxy", ""},    {"NO_PROXY", ""}};
        for (auto& [k, v] : env) all[k] = v;
        all["RCBATCH_API_KEY"] = sandbox.api_key();
        return run_rcbatch({"run", (dir.path / "p.toml").string(), "--config",
                            (dir.path / "profiles.toml").string(), "--report-dir",
                            (dir.path / "reports").string(), "--quiet"},
                           all);
    }
    std::uint64_t connections() {
        return sandbox.call([](rcbatch::sandbox::Server& s) { return s.stats().connections; });
    }
    // Everything in the run folders.
    std::string reports() const {
        std::string all;
        std::error_code ec;
        for (const auto& e : fs::recursive_directory_iterator(dir.path / "reports", ec))
            if (e.is_regular_file()) all += slurp(e.path());
        return all;
    }

    TempDir dir{"rcbatch-e2e-proxy"};
    rcbatch::sandbox::BackgroundSandbox sandbox;
    std::string ca;
};

std::size_t connects_seen(const TinyProxy& proxy, std::size_t n) {
    for (int i = 0; i < 100 && proxy.connects() < n; ++i) std::this_thread::sleep_for(20ms);
    return proxy.connects();
}

}  // namespace

TEST_SUITE("e2e: proxy") {
    TEST_CASE(
        "HTTPS_PROXY: every connection goes through the proxy; NO_PROXY exempts the API host") {
        Setup s;
        TinyProxy proxy(s.dir.path,
                        {.connect_ports = {s.sandbox.port()}, .user = {}, .password = {}});
        auto r = s.run({{"HTTPS_PROXY", proxy.url()}});
        CAPTURE(r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1));  // the orders' own answers; no stop
        CHECK(r.err.find("stopped") == std::string::npos);
        CHECK(connects_seen(proxy, 3) == 3);
        CHECK(s.connections() == 3);

        auto direct = s.run({{"HTTPS_PROXY", proxy.url()}, {"NO_PROXY", "example.org, 127.0.0.1"}});
        CHECK((direct.exit_code == 0 || direct.exit_code == 1));
        CHECK(proxy.connects() == 3);  // none more
        CHECK(s.connections() == 6);
    }

    TEST_CASE(
        "the profile's proxy wins over HTTPS_PROXY; one that is down stops the run, exit 3, the "
        "password nowhere") {
        TempDir proxy_dir("rcbatch-e2e-proxy");
        const std::uint16_t port = rcbatch::test::free_loopback_port();
        Setup s("proxy = \"http://reseller:wrong-" + std::string(secret) +
                "@127.0.0.1:" + std::to_string(port) + "\"");
        TinyProxy proxy(
            proxy_dir.path,
            {.connect_ports = {s.sandbox.port()}, .user = "reseller", .password = secret});
        REQUIRE(proxy.port() != port);  // nothing listens on the profile's proxy port
        auto r =
            s.run({{"HTTPS_PROXY", proxy.url("reseller", secret)}});  // ignored: the profile wins
        CAPTURE(r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("\nrcbatch run: stopped: proxy http://reseller:***@127.0.0.1:" +
                         std::to_string(port) + " (the profile's proxy) cannot be reached: ") !=
              std::string::npos);
        CHECK(proxy.connects() == 0);
        CHECK(s.connections() == 0);
        for (const std::string& text : {r.err, r.out, s.reports()})
            CHECK(text.find(secret) == std::string::npos);
    }

    TEST_CASE(
        "wrong credentials in HTTPS_PROXY: exit 3 naming the proxy, no API request, the password "
        "nowhere") {
        Setup s;
        TinyProxy proxy(
            s.dir.path,
            {.connect_ports = {s.sandbox.port()}, .user = "reseller", .password = secret});
        auto r = s.run({{"https_proxy", proxy.url("reseller", std::string("x") + secret)}});
        CAPTURE(r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("proxy http://reseller:***@127.0.0.1:" + std::to_string(proxy.port()) +
                         " (https_proxy) refused CONNECT") != std::string::npos);
        CHECK(connects_seen(proxy, 1) == 1);
        CHECK(s.connections() == 0);
        for (const std::string& text : {r.err, r.out, s.reports()})
            CHECK(text.find(secret) == std::string::npos);

        auto ok = s.run({{"https_proxy", proxy.url("reseller", secret)}});
        CAPTURE(ok.err);
        CHECK((ok.exit_code == 0 || ok.exit_code == 1));
        CHECK(s.connections() == 3);
    }

    TEST_CASE("proxy = \"\" in the profile: no proxy, whatever the environment says") {
        Setup s("proxy = \"\"");
        auto r = s.run({{"HTTPS_PROXY", "http://127.0.0.1:" +
                                            std::to_string(rcbatch::test::free_loopback_port())}});
        CAPTURE(r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1));
        CHECK(s.connections() == 3);
    }

    TEST_CASE("a bad proxy URL is exit 2 before anything is sent, redacted") {
        Setup https_proxy("proxy = \"https://reseller:" + std::string(secret) +
                          "@proxy.example:3128\"");
        auto r = https_proxy.run({});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("proxy: 'https://reseller:***@proxy.example:3128' is an https:// proxy") !=
              std::string::npos);
        CHECK(r.err.find(secret) == std::string::npos);

        Setup env;
        auto e =
            env.run({{"ALL_PROXY", "socks5://reseller:" + std::string(secret) + "@proxy.example"}});
        CHECK(e.exit_code == 2);
        CHECK(e.err.find(
                  "ALL_PROXY 'socks5://reseller:***@proxy.example' is not an http:// proxy URL") !=
              std::string::npos);
        CHECK(e.err.find(secret) == std::string::npos);
        CHECK(env.connections() == 0);
    }
}

}  // namespace proxy_test
