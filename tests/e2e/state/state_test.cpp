// One machine, one ledger (issue #19): the shared state directory the package creates is the
// default of every user who can write it, what rcbatch makes there is group-writable, a run on
// a private ledger says so; and `rcbatch history ORDER --profile` shows other clients' changes
// beside rcbatch's own, with amounts, invoices and terms.
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <sys/stat.h>

namespace state_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
int mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return static_cast<int>(st.st_mode & 07777);
}

// A job renewing `order` for one month, invoiced and kept (so the reply has an amount).
fs::path renew_job(const fs::path& dir, const std::string& name, const std::string& order,
                   const std::string& extra = "") {
    const fs::path job = dir / (name + ".toml");
    std::ofstream(job) << "name = \"" << name
                       << "\"\naction = \"backup.renew\"\nregion = \"us\"\nprofile = \"sandbox\"\n"
                       << extra << "[targets]\norder-ids = [" << order
                       << "]\n[params]\nmonths = 1\ninvoice-option = \"KeepInvoice\"\n"
                          "auto-renew = false\n[run]\nrate = 0.0\n";
    return job;
}
}  // namespace

TEST_SUITE("e2e: state directory") {
    TEST_CASE("the shared state directory: used by default, what rcbatch makes is group-writable") {
        TempDir tmp{"rcbatch-e2e-shared"};
        const fs::path shared = tmp.path / "shared-state";
        fs::create_directories(shared);
        REQUIRE(::chmod(shared.c_str(), 02770) == 0);  // as the package's postinst makes it
        const fs::path job = tmp.path / "job.toml";
        std::ofstream(job) << "name = \"shared-renew\"\naction = \"backup.renew\"\nregion = "
                              "\"us\"\n[targets]\norder-ids = ["
                           << rcbatch::test::active_us_backups(1).front()
                           << "]\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
                              "auto-renew = false\n";
        const std::map<std::string, std::string> env{{"RCBATCH_STATE_DIR", ""},
                                                     {"RCBATCH_SHARED_STATE_DIR", shared.string()},
                                                     {"HOME", (tmp.path / "home").string()},
                                                     {"XDG_STATE_HOME", ""}};
        auto run = run_rcbatch({"run", job.string(), "--sandbox", "--quiet"}, env);
        CAPTURE(run.err);
        CHECK(run.err.find("shared") == std::string::npos);  // nothing to say
        CHECK(mode_of(shared / "ledger.sqlite") == 0660);
        bool lock_seen = false;
        for (const auto& e : fs::recursive_directory_iterator(shared / "locks")) {
            CAPTURE(e.path());
            if (e.is_directory()) CHECK(mode_of(e.path()) == 02770);
            if (e.path().filename() == ".lock") {
                CHECK(mode_of(e.path()) == 0660);
                lock_seen = true;
            }
        }
        CHECK(lock_seen);
        // Run folders stay the user's own.
        CHECK(fs::exists(tmp.path / "home/.local/state/rcbatch/runs/shared-renew"));
        CHECK_FALSE(fs::exists(shared / "runs"));

        auto own = run_rcbatch({"plan", job.string(), "--sandbox", "--quiet"},
                               {{"RCBATCH_STATE_DIR", (tmp.path / "private").string()},
                                {"RCBATCH_SHARED_STATE_DIR", shared.string()}});
        CAPTURE(own.err);
        CHECK(own.err.find("this run uses the ledger in " + (tmp.path / "private").string() +
                           " ($RCBATCH_STATE_DIR), not the machine's shared one in " +
                           shared.string()) != std::string::npos);
    }

    TEST_CASE("history with a profile: another client's renew beside rcbatch's own, with money") {
        TempDir tmp{"rcbatch-e2e-history"};
        rcbatch::test::SandboxChild sb((tmp.path / "ca.pem").string(), {"--seed", "5"});
        const fs::path config = sb.write_profile(tmp.path / "profiles.toml", "sandbox", "test");
        const std::string order = std::to_string(rcbatch::test::active_us_backups(1, 5).front());
        const auto with_state = [&](const std::string& name) {
            return std::map<std::string, std::string>{
                {"RCBATCH_API_KEY", sb.api_key}, {"RCBATCH_STATE_DIR", (tmp.path / name).string()}};
        };
        // Another machine renews the order; then this one, with the repeat guard off.
        auto other = run_rcbatch({"run", renew_job(tmp.path, "renew-there", order).string(),
                                  "--config", config.string(), "--quiet"},
                                 with_state("state-there"));
        REQUIRE(other.exit_code == 0);
        auto mine = run_rcbatch(
            {"run", renew_job(tmp.path, "renew-here", order, "repeat-guard = \"0s\"\n").string(),
             "--config", config.string(), "--quiet"},
            with_state("state-here"));
        CAPTURE(mine.err);
        REQUIRE(mine.exit_code == 0);

        auto own_only = run_rcbatch({"history", order}, with_state("state-here"));
        CHECK(own_only.exit_code == 0);
        CHECK(own_only.out.find("backup.renew  ok  action ") != std::string::npos);
        CHECK(own_only.out.find("invoice ") != std::string::npos);
        CHECK(own_only.out.find(", 1 month  job renew-here") != std::string::npos);
        CHECK(own_only.out.find("rcbatch's own changes only") != std::string::npos);
        CHECK(own_only.out.find("another client") == std::string::npos);

        auto both =
            run_rcbatch({"history", order, "--config", config.string(), "--profile", "sandbox"},
                        with_state("state-here"));
        CAPTURE(both.out);
        CAPTURE(both.err);
        CHECK(both.exit_code == 0);
        CHECK(both.out.find("Renew  Success  action ") != std::string::npos);
        CHECK(both.out.find("by another client (not in this ledger)") != std::string::npos);
        CHECK(both.out.find("(action log: Success)") != std::string::npos);
        CHECK(both.out.find("rcbatch's own changes only") == std::string::npos);
        CHECK(both.out.find(sb.api_key) == std::string::npos);

        auto as_json = run_rcbatch(
            {"history", order, "--config", config.string(), "--profile", "sandbox", "--json"},
            with_state("state-here"));
        const json::array entries = json::parse(as_json.out).as_array();
        REQUIRE(entries.size() == 2);
        int ledger = 0, log = 0;
        for (const auto& e : entries) {
            const auto& o = e.as_object();
            if (o.at("source") == "ledger") {
                ++ledger;
                CHECK(o.at("term") == "1 month");
                CHECK(o.at("currency") == "USD");
                CHECK_FALSE(o.at("amount").as_string().empty());
                CHECK_FALSE(o.at("invoice").as_string().empty());
            } else {
                ++log;
                CHECK(o.at("source") == "action-log");
                CHECK(o.at("type") == "Renew");
            }
        }
        CHECK(ledger == 1);
        CHECK(log == 1);
    }
}

}  // namespace state_test
