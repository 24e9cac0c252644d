// `rcbatch init` in a temporary HOME: the commented profile at the XDG path, never over an
// existing file, the key file created empty 0600, the next commands, and a profile that the
// validator accepts.

#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace init_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {
unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}
}  // namespace

TEST_SUITE("e2e: init") {
    TEST_CASE("a profile at ~/.config/rcbatch/config.toml, then never again over it") {
        TempDir home{"rcbatch-e2e-init"};
        const std::map<std::string, std::string> env{
            {"HOME", home.path.string()}, {"XDG_CONFIG_HOME", ""}, {"RCBATCH_CONFIG", ""}};
        auto init = run_rcbatch({"init"}, env);
        CAPTURE(init.err);
        REQUIRE(init.exit_code == 0);
        const fs::path config = home.path / ".config" / "rcbatch" / "config.toml";
        REQUIRE(fs::exists(config));
        const std::string text = slurp(config);
        CHECK(text.find("[profiles.test]") != std::string::npos);
        CHECK(text.find("environment = \"test\"") != std::string::npos);
        CHECK(text.find("api-key-env = \"RCBATCH_API_KEY\"") != std::string::npos);
        CHECK(text.find("# ") != std::string::npos);
        CHECK(init.out.find("  rcbatch validate JOB.toml\n  rcbatch plan JOB.toml --profile test\n"
                            "  rcbatch run JOB.toml --profile test\n") != std::string::npos);

        // The validator reads it as the default profile file and refuses what plan and run
        // would refuse: the placeholder id, then the missing key; with both set, it accepts it.
        const std::string job =
            std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/renew-expiring-backups.toml";
        auto placeholder = run_rcbatch({"validate", job}, env);
        CAPTURE(placeholder.err);
        CHECK(placeholder.exit_code == 2);
        CHECK(placeholder.out.empty());
        CHECK(placeholder.err.find("profiles.test.auth-userid: 0 is the placeholder `rcbatch "
                                   "init` writes") != std::string::npos);
        auto plan = run_rcbatch({"plan", job}, env);
        CHECK(plan.exit_code == 2);
        CHECK(plan.err.find("0 is the placeholder") != std::string::npos);
        std::string edited = text;
        edited.replace(edited.find("auth-userid = 0 "), 16, "auth-userid = 654321 ");
        { std::ofstream(config) << edited; }
        auto no_key = run_rcbatch({"validate", job}, env);
        CHECK(no_key.exit_code == 2);
        CHECK(no_key.err.find("no API key: set RCBATCH_API_KEY (profile 'test')") !=
              std::string::npos);
        std::map<std::string, std::string> with_key = env;
        with_key["RCBATCH_API_KEY"] = "InitKeyAbcdefGhijkl123456";
        auto validate = run_rcbatch({"validate", job}, with_key);
        CAPTURE(validate.err);
        CHECK(validate.exit_code == 0);
        { std::ofstream(config) << text; }

        auto again = run_rcbatch({"init", "--environment", "live"}, env);
        CHECK(again.exit_code == 2);
        CHECK(again.err.find(config.string() + " exists") != std::string::npos);
        CHECK(slurp(config) == text);
    }

    TEST_CASE(
        "--environment live --profile NAME --key-file: the key file empty and 0600, under "
        "XDG_CONFIG_HOME") {
        TempDir home{"rcbatch-e2e-init"};
        const fs::path xdg = home.path / "xdg";
        const fs::path key = home.path / "keys" / "live.key";
        auto init = run_rcbatch(
            {"init", "--environment", "live", "--profile", "shop", "--key-file", key.string()},
            {{"HOME", home.path.string()}, {"XDG_CONFIG_HOME", xdg.string()}});
        CAPTURE(init.err);
        REQUIRE(init.exit_code == 0);
        const std::string text = slurp(xdg / "rcbatch" / "config.toml");
        CHECK(text.find("[profiles.shop]") != std::string::npos);
        CHECK(text.find("environment = \"live\"") != std::string::npos);
        CHECK(text.find("api-key-file = \"" + key.string() + "\"") != std::string::npos);
        REQUIRE(fs::exists(key));
        CHECK(fs::file_size(key) == 0);
        CHECK(mode_of(key) == 0600);
        CHECK(init.out.find("rcbatch run JOB.toml --profile shop --live\n") != std::string::npos);

        auto bad = run_rcbatch(
            {"init", "--environment", "staging", "--config", (home.path / "x.toml").string()});
        CHECK(bad.exit_code == 2);
        CHECK(bad.err.find("--environment is test or live") != std::string::npos);
        CHECK(run_rcbatch({"init", "--profile", "a b", "--config", (home.path / "y.toml").string()})
                  .exit_code == 2);
    }
}

}  // namespace init_test
