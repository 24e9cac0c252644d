// `rcbatch run` against a sandbox whose TLS is broken on purpose (sandbox --tls-mode): each
// failure stops the run at the first attempt, exit 3, with a message naming the cause and
// the fix, after one connection, with no API request processed. And a sound one resumes.
#include "sandbox/server/background.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tls_modes_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::sandbox::TlsMode;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

constexpr int concurrency = 8;

// A profile for `url` trusting `ca_file`, and a job of 20 order ids through it.
std::string write_job(const fs::path& dir, const std::string& url, const std::string& userid,
                      const std::string& ca_file) {
    std::ofstream(dir / "profiles.toml")
        << "[profiles.t]\nenvironment = \"test\"\nauth-userid = " << userid << "\nendpoint = \""
        << url << "\"\nca-file = \"" << ca_file << "\"\n";
    std::ofstream job(dir / "tls.toml");
    job << "name = \"tls\"\naction = \"backup.details\"\nregion = \"us\"\nprofile = \"t\"\n"
        << "[targets]\norder-ids = [";
    for (int i = 1; i <= 20; ++i) job << (i > 1 ? ", " : "") << 1000 + i;
    job << "]\n[run]\nconcurrency = " << concurrency << "\nrate = 0.0\ntimeout = \"5s\"\n"
        << "retry = { attempts = 5, base = \"10ms\", max = \"50ms\" }\n";
    return (dir / "tls.toml").string();
}

json::object summary_of(const fs::path& reports) {
    for (const auto& e : fs::recursive_directory_iterator(reports))
        if (e.path().filename() == "summary.json") return json::parse(slurp(e.path())).as_object();
    FAIL("no summary.json under " << reports);
    return {};
}

struct Outcome {
    rcbatch::test::RunResult run;
    json::object summary;
    rcbatch::sandbox::Stats stats;
};

Outcome run_against(TlsMode mode, const fs::path& dir) {
    rcbatch::sandbox::Options options;
    options.tls_mode = mode;
    rcbatch::sandbox::BackgroundSandbox sb(options);
    const std::string ca = (dir / "ca.pem").string();
    sb.write_ca(ca);
    const std::string job = write_job(dir, sb.url(), sb.userid(), ca);
    Outcome o;
    o.run = run_rcbatch({"run", job, "--config", (dir / "profiles.toml").string(), "--report-dir",
                         (dir / "reports").string(), "--quiet"},
                        {{"RCBATCH_API_KEY", sb.api_key()}});
    o.summary = summary_of(dir / "reports");
    o.stats = sb.call([](rcbatch::sandbox::Server& s) { return s.stats(); });
    return o;
}

}  // namespace

TEST_SUITE("e2e: tls") {
    TEST_CASE(
        "every broken TLS mode stops the run at the first attempt: exit 3, named, one connection") {
        struct Row {
            TlsMode mode;
            std::string says;
        };
        const std::vector<Row> rows{
            {TlsMode::wrong_host,
             "the server's certificate is not for 127.0.0.1 (it names wrong-host.invalid); "
             "check the profile's endpoint"},
            {TlsMode::expired, "the server's certificate expired on 20"},
            {TlsMode::not_yet_valid, "the server's certificate is not valid until 20"},
            {TlsMode::unknown_ca, "signed by a CA this machine does not trust"},
            {TlsMode::tls1_0, "offers no TLS version or cipher rcbatch accepts"},
            {TlsMode::plain_http, "does not speak TLS on this port"},
        };
        for (const auto& row : rows) {
            CAPTURE(rcbatch::sandbox::to_string(row.mode));
            TempDir dir("rcbatch-e2e-tls");
            const Outcome o = run_against(row.mode, dir.path);
            CAPTURE(o.run.err);
            CHECK(o.run.exit_code == 3);
            // --quiet: the summary line, then the one stop line that names the cause.
            CHECK(o.run.err.find("\nrcbatch run: stopped: TLS handshake with 127.0.0.1:") !=
                  std::string::npos);
            CHECK(o.run.err.find(row.says) != std::string::npos);
            CHECK(rcbatch::test::count_lines(o.run.err) == 2);
            CHECK(o.summary.at("stop_reason").as_string() == "fatal");
            CHECK(std::string(o.summary.at("stop_message").as_string()).find(row.says) !=
                  std::string::npos);
            CHECK(o.summary.at("connections_opened").to_number<int>() == 1);
            CHECK(o.stats.connections == 1);
            CHECK(o.stats.api_requests == 0);
            CHECK(o.stats.requests == 0);
        }
    }

    TEST_CASE("a sound sandbox: connections resume, and summary.json says how many") {
        TempDir dir("rcbatch-e2e-tls");
        const Outcome o = run_against(TlsMode::normal, dir.path);
        CAPTURE(o.run.err);
        CHECK(o.run.exit_code != 3);
        CHECK(o.summary.at("stop_reason").as_string() == "none");
        CHECK(o.summary.at("connections_opened").to_number<int>() == concurrency);
        // At least one: how many of the first connections wait for the first one's session
        // depends on timing (SessionSettings::resume_wait); integration_engine checks C-1 of C.
        CHECK(o.summary.at("tls_sessions_resumed").to_number<int>() >= 1);
        CHECK(o.stats.api_requests >= 20);
    }

    TEST_CASE(
        "rcbatch sandbox --tls-mode: a broken mode serves broken TLS; an unknown mode is exit 2") {
        TempDir dir("rcbatch-e2e-tls");
        {
            rcbatch::test::SandboxChild sb((dir.path / "ca.pem").string(),
                                           {"--tls-mode", "expired"});
            const std::string job = write_job(dir.path, sb.url, sb.userid, sb.ca_file);
            auto r = run_rcbatch({"run", job, "--config", (dir.path / "profiles.toml").string(),
                                  "--report-dir", (dir.path / "reports").string(), "--quiet"},
                                 {{"RCBATCH_API_KEY", sb.api_key}});
            CAPTURE(r.err);
            CHECK(r.exit_code == 3);
            CHECK(r.err.find("the server's certificate expired on") != std::string::npos);
            CHECK(sb.stop() == 0);
        }
        auto bad = run_rcbatch({"sandbox", "--tls-mode", "ssl3"});
        CHECK(bad.exit_code == 2);
        CHECK(bad.err.find(
                  "--tls-mode is one of normal, wrong-host, expired, not-yet-valid, unknown-ca, "
                  "tls1.0, plain-http") != std::string::npos);
    }
}

}  // namespace tls_modes_test
