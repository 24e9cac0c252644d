// contrib/ as the README installs it: the command lines of the systemd service and of the cron
// line run as written — their Environment=/VAR= settings, LoadCredential='s key handed over in
// $CREDENTIALS_DIRECTORY, StateDirectory= folders — against `rcbatch sandbox` as a separate
// process, with /etc, /var/lib and /usr/bin moved under a temporary folder and --jitter cut to
// 1ms. systemd and cron themselves are not run.

#include "tests/support/files.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tool.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace contrib_test {

namespace fs = std::filesystem;
using rcbatch::test::run_tool;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

// `text` with the installed paths moved under `root`, and the jitter cut.
std::string moved(std::string text, const fs::path& root) {
    text = std::regex_replace(text, std::regex("/usr/bin/rcbatch"), RCBATCH_BINARY);
    text = std::regex_replace(text, std::regex("(/etc/rcbatch|/var/lib)"), root.string() + "$1");
    return std::regex_replace(text, std::regex("--jitter [0-9a-z]+"), "--jitter 1ms");
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// /etc/rcbatch under `root`: contrib's profile file for this sandbox, the example job.
void install_etc(const fs::path& root, const rcbatch::test::SandboxChild& sandbox) {
    const fs::path etc = root / "etc/rcbatch";
    fs::create_directories(etc / "jobs");
    std::string profile = slurp(source("contrib/config.toml"));
    profile = std::regex_replace(profile, std::regex("auth-userid  = 123456"),
                                 "auth-userid  = " + sandbox.userid + "\nendpoint = \"" +
                                     sandbox.url + "\"\nca-file = \"" + sandbox.ca_file + "\"");
    std::ofstream(etc / "config.toml") << profile;
    fs::copy_file(source("jobs/examples/renew-expiring-backups.toml"),
                  etc / "jobs/renew-expiring-backups.toml");
}

void check_run(const rcbatch::test::ToolResult& run, const fs::path& root) {
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());  // --quiet: nothing to mail
    CHECK(fs::exists(root / "var/lib/rcbatch/state/ledger.sqlite"));
    bool html = false;
    for (const auto& e : fs::recursive_directory_iterator(root / "var/lib/rcbatch/reports"))
        html = html || e.path().filename() == "report.html";
    CHECK(html);
    const std::string metrics =
        slurp(root / "var/lib/prometheus/node-exporter/rcbatch-renew-expiring-backups.prom");
    CHECK(metrics.find("rcbatch_last_run_exit_code{job=\"renew-expiring-backups\"} 0\n") !=
          std::string::npos);
}

}  // namespace

TEST_SUITE("e2e: contrib") {
    TEST_CASE("the systemd service's command, with the key from $CREDENTIALS_DIRECTORY") {
        TempDir tmp{"rcbatch-e2e-contrib"};
        rcbatch::test::SandboxChild sandbox((tmp.path / "ca.pem").string(), {});
        const fs::path root = tmp.path / "root";
        install_etc(root, sandbox);
        fs::create_directories(root / "var/lib/prometheus/node-exporter");

        std::map<std::string, std::string> env{{"RCBATCH_API_KEY", ""}};
        std::string exec;
        std::istringstream unit(
            moved(std::regex_replace(slurp(source("contrib/systemd/rcbatch@.service")),
                                     std::regex("\\\\\n"), " "),
                  root));
        for (std::string line; std::getline(unit, line);) {
            if (line.starts_with("Environment=")) {
                const auto eq = line.find('=', 12);
                env[line.substr(12, eq - 12)] = line.substr(eq + 1);
            } else if (line.starts_with("StateDirectory=")) {
                for (const auto& dir : words(line.substr(15)))
                    fs::create_directories(root / "var/lib" / dir);
            } else if (line.starts_with(
                           "LoadCredential=api-key:")) {  // systemd's copy: 0400, the service's
                const fs::path credentials = tmp.path / "credentials";
                fs::create_directories(credentials);
                std::ofstream(credentials / "api-key") << sandbox.api_key << "\n";
                ::chmod((credentials / "api-key").c_str(), 0400);
                env["CREDENTIALS_DIRECTORY"] = credentials.string();
            } else if (line.starts_with("ExecStart=")) {
                exec =
                    std::regex_replace(line.substr(10), std::regex("%i"), "renew-expiring-backups");
            }
        }
        REQUIRE(env.count("CREDENTIALS_DIRECTORY") == 1);
        CHECK(env.at("RCBATCH_STATE_DIR") == (root / "var/lib/rcbatch/state").string());
        std::vector<std::string> args = words(exec);
        REQUIRE(args.size() > 2);
        REQUIRE(args[0] == RCBATCH_BINARY);
        check_run(run_tool(args[0], {args.begin() + 1, args.end()}, env), root);
        CHECK(sandbox.api_requests() > 0);
    }

    TEST_CASE("the cron line, with the key in a file only its user can read") {
        TempDir tmp{"rcbatch-e2e-contrib"};
        rcbatch::test::SandboxChild sandbox((tmp.path / "ca.pem").string(), {});
        const fs::path root = tmp.path / "root";
        install_etc(root, sandbox);
        for (const char* dir : {"var/lib/rcbatch/state", "var/lib/rcbatch/reports",
                                "var/lib/prometheus/node-exporter"})
            fs::create_directories(root / dir);
        const fs::path key = root / "etc/rcbatch/api-key";  // the README's install -m 0600 and sed
        std::ofstream(key) << sandbox.api_key << "\n";
        ::chmod(key.c_str(), 0600);
        const fs::path config = root / "etc/rcbatch/config.toml";
        std::ofstream(config.string() + ".new")
            << std::regex_replace(slurp(config), std::regex("api-key-file = .*"),
                                  "api-key-file = \"" + key.string() + "\"");
        fs::rename(config.string() + ".new", config);

        std::map<std::string, std::string> env{{"RCBATCH_API_KEY", ""}};
        std::vector<std::string> command;
        std::istringstream cron(moved(slurp(source("contrib/cron/rcbatch")), root));
        for (std::string line; std::getline(cron, line);) {
            if (line.empty() || line[0] == '#') continue;
            if (const auto eq = line.find('='); eq != std::string::npos && line.find(' ') > eq) {
                if (line.starts_with("RCBATCH_")) env[line.substr(0, eq)] = line.substr(eq + 1);
                continue;
            }
            const auto w = words(line);
            REQUIRE(w.size() > 7);
            CHECK(w[5] == "rcbatch");  // the user
            command.assign(w.begin() + 6, w.end());
        }
        REQUIRE(!command.empty());
        REQUIRE(command[0] == RCBATCH_BINARY);
        check_run(run_tool(command[0], {command.begin() + 1, command.end()}, env), root);
    }
}

}  // namespace contrib_test
