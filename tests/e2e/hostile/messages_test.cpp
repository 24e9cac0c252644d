// Messages for hostile inputs, round two (issue #20): a byte order mark is accepted in every
// text input and never printed; no message echoes a whole huge value; a target file's line
// is capped and reported by position; validate refuses what plan and run refuse; every
// message names its command; a key-like job value is never echoed.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace messages_test {

namespace fs = std::filesystem;
using rcbatch::test::no_profiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
const std::string bom = "\xef\xbb\xbf";
constexpr const char* key_like = "SeCrEtKeY0123456789abcdef";

std::string hostile(const std::string& name) {
    return std::string(RCBATCH_SOURCE_DIR) + "/tests/data/hostile/" + name;
}

fs::path write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// A job over the targets file `file`, an action taking order ids.
fs::path file_job(const fs::path& dir, const std::string& name, const std::string& file) {
    return write(dir / (name + ".toml"), "name = \"" + name +
                                             "\"\naction = \"backup.details\"\nregion = \"us\"\n"
                                             "[targets]\nfile = \"" +
                                             file + "\"\n[run]\nrate = 0.0\n");
}

// A profile file whose one profile reads its key from `key_file`.
fs::path key_file_profiles(const fs::path& dir, const fs::path& key_file) {
    return write(dir / "profiles.toml",
                 "[profiles.test]\nenvironment = \"test\"\n"
                 "auth-userid = 654321\napi-key-file = \"" +
                     key_file.string() + "\"\n");
}
}  // namespace

TEST_SUITE("e2e: hostile messages") {
    TEST_CASE("a byte order mark in a CSV, .txt, .jsonl or TOML file is accepted, never printed") {
        TempDir tmp{"rcbatch-e2e-messages"};
        for (const char* file : {"bom-orders.csv", "bom-orders.txt", "bom-orders.jsonl"}) {
            const fs::path job = file_job(tmp.path, "bom", hostile(file));
            CAPTURE(file);
            auto validate = run_rcbatch({"validate", job.string()}, no_profiles);
            CAPTURE(validate.err);
            CHECK(validate.exit_code == 0);
            CHECK(validate.out == "ok " + job.string() + "\n");
        }
        auto bad = run_rcbatch(
            {"validate", file_job(tmp.path, "bom-bad", hostile("bom-bad-line.txt")).string()},
            no_profiles);
        CHECK(bad.exit_code == 2);
        CHECK(bad.err.find(":1:1: 'not-an-order' is neither an order id nor a domain name") !=
              std::string::npos);
        CHECK(bad.err.find(bom) == std::string::npos);
        auto toml = run_rcbatch({"validate", hostile("bom-job.toml")}, no_profiles);
        CAPTURE(toml.err);
        CHECK(toml.exit_code == 0);
        CHECK(toml.out.find(bom) == std::string::npos);
    }

    TEST_CASE("a 900 KB value is quoted by its start and its length, never whole") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const std::string name(900 * 1024, 'n');
        const fs::path named =
            write(tmp.path / "name.toml", "name = \"" + name + "\"\naction = \"plan.details\"\n");
        auto r = run_rcbatch({"validate", named.string()}, no_profiles);
        CAPTURE(r.err.substr(0, 400));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("name: 'nnnn") != std::string::npos);
        CHECK(r.err.find("\u2026' (921600 bytes) must be 1 to 64 letters") != std::string::npos);
        CHECK(r.err.size() < 512);
        const fs::path keyed = write(tmp.path / "key.toml",
                                     "name = \"k\"\naction = \"plan.details\"\n" + name + " = 1\n");
        auto key = run_rcbatch({"validate", keyed.string()}, no_profiles);
        CHECK(key.exit_code == 2);
        CHECK(key.err.find("unknown key 'nnnn") != std::string::npos);
        CHECK(key.err.find("\u2026' (921600 bytes)") != std::string::npos);
        CHECK(key.err.size() < 512);
    }

    TEST_CASE("a one-line 250 MB target file: reported by position, in bounded memory") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const fs::path targets = tmp.path / "one-line.txt";
        constexpr off_t size = 250'000'000;
        {
            std::ofstream(targets) << "9";
            REQUIRE(::truncate(targets.c_str(), size) == 0);  // sparse: no disk for the rest
        }
        // The peer: the same check of a one-line file of one id. Under ASan the process alone
        // is ~170 MiB, so the bound is on what the long line adds, not on the total.
        const fs::path short_targets = write(tmp.path / "short.txt", "9\n");
        auto peer =
            run_rcbatch({"validate", file_job(tmp.path, "short", short_targets.string()).string()},
                        no_profiles);
        auto r = run_rcbatch({"validate", file_job(tmp.path, "long", targets.string()).string()},
                             no_profiles);
        CAPTURE(r.err.substr(0, 400));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(targets.string() + ":1:1: the line is 250000000 bytes long, over the 64 "
                                            "KiB limit of a line") != std::string::npos);
        CHECK(r.err.size() < 1024);
        CAPTURE(peer.max_rss_kib);
        CHECK(r.max_rss_kib > 0);
        CHECK(r.max_rss_kib < peer.max_rss_kib + 32 * 1024);  // 1.54 GB before
    }

    TEST_CASE("a duplicated column is never its own suggestion") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const auto ids = rcbatch::test::active_us_backups(1);
        const fs::path csv =
            write(tmp.path / "twice.csv", "order-id,order-id\n" + std::to_string(ids[0]) + ",1\n");
        auto r = run_rcbatch({"validate", file_job(tmp.path, "twice", csv.string()).string()},
                             no_profiles);
        CAPTURE(r.err);
        CHECK(r.err.find("did you mean 'order-id'") == std::string::npos);
    }

    TEST_CASE("validate refuses what plan refuses about a profile and its key file") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const std::string job =
            std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/renew-expiring-backups.toml";
        const fs::path key = tmp.path / "api.key";
        struct Case {
            std::string name, content;
            mode_t mode;
            std::string says;
        };
        for (const Case& c :
             std::vector<Case>{{"empty", "", 0600, ": the API key file is empty"},
                               {"only a BOM", bom + "\n", 0600, ": the API key file is empty"},
                               {"group-readable", "GroupKeyAbcdefGhijkl123456\n", 0640,
                                ": the API key file can be read by others; run chmod 600 "}}) {
            CAPTURE(c.name);
            write(key, c.content);
            REQUIRE(::chmod(key.c_str(), c.mode) == 0);
            const std::string config = key_file_profiles(tmp.path, key).string();
            auto validate = run_rcbatch({"validate", job, "--config", config}, no_profiles);
            auto plan = run_rcbatch({"plan", job, "--config", config}, no_profiles);
            CAPTURE(validate.err);
            CAPTURE(plan.err);
            CHECK(validate.exit_code == 2);
            CHECK(validate.out.empty());
            CHECK(plan.exit_code == 2);
            CHECK(validate.err.find(c.says) != std::string::npos);
            CHECK(plan.err.find(c.says) != std::string::npos);
        }
        write(key, bom + "GoodKeyAbcdefGhijkl123456\n");  // a BOM before the key is not the key's
        REQUIRE(::chmod(key.c_str(), 0600) == 0);
        auto good = run_rcbatch(
            {"validate", job, "--config", key_file_profiles(tmp.path, key).string()}, no_profiles);
        CAPTURE(good.err);
        CHECK(good.exit_code == 0);
        CHECK(good.out == "ok " + job + "\n");
    }

    TEST_CASE("a bad profile file: validate prints no 'ok' and exits 2") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const fs::path config =
            write(tmp.path / "bad.toml", "[profiles.test]\nenvironment = \"staging\"\n");
        auto r = run_rcbatch(
            {"validate", std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/plan-details.toml",
             "--config", config.string()},
            no_profiles);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
    }

    TEST_CASE("every message of plan names plan; a key-like profile name is never echoed") {
        TempDir tmp{"rcbatch-e2e-messages"};
        const fs::path job = write(tmp.path / "keyed.toml",
                                   "name = \"keyed\"\naction = \"plan.details\"\nprofile = \"" +
                                       std::string(key_like) + "\"\n");
        const fs::path config =
            write(tmp.path / "profiles.toml",
                  "[profiles.test]\nenvironment = \"test\"\nauth-userid = 654321\n");
        auto no_file = run_rcbatch({"plan", job.string()}, no_profiles);
        CHECK(no_file.exit_code == 2);
        CHECK(no_file.err.rfind("rcbatch plan: no profile file", 0) == 0);
        for (const char* command : {"plan", "run"}) {
            CAPTURE(command);
            auto text =
                run_rcbatch({command, job.string(), "--config", config.string()}, no_profiles);
            auto json = run_rcbatch(
                {command, job.string(), "--config", config.string(), "--log-format", "json"},
                no_profiles);
            CAPTURE(text.err);
            CHECK(text.exit_code == 2);
            CHECK(text.err.rfind(std::string("rcbatch ") + command + ": ", 0) == 0);
            CHECK(text.err.find("no profile '***'") != std::string::npos);
            CHECK(json.err.find("no profile '***'") != std::string::npos);
            CHECK(text.err.find(key_like) == std::string::npos);
            CHECK(json.err.find(key_like) == std::string::npos);
        }
        auto validate =
            run_rcbatch({"validate", job.string(), "--config", config.string()}, no_profiles);
        CHECK(validate.exit_code == 2);
        CHECK(validate.err.find(key_like) == std::string::npos);
    }
}

}  // namespace messages_test
