#include "config/credentials_path.hpp"

#include "config/profile.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>

namespace credentials_path_test {

using namespace rcbatch::config;
using rcbatch::test::TempDir;

TEST_SUITE("credentials path") {
    TEST_CASE(
        "$CREDENTIALS_DIRECTORY/NAME is read from systemd's credentials, and only that variable") {
        TempDir dir{"rcbatch-credentials"};
        { std::ofstream(dir.path / "api-key") << "CredKeyAbcdefGhijkl123456\n"; }
        ::chmod((dir.path / "api-key").c_str(), 0400);
        Profile p;
        p.name = "live";
        p.api_key_file = "$CREDENTIALS_DIRECTORY/api-key";
        CHECK(names_credentials_directory("${CREDENTIALS_DIRECTORY}/k"));
        CHECK_FALSE(names_credentials_directory("$HOME/k"));
        CHECK(expand_credentials_directory("/etc/rcbatch/api-key") ==
              std::filesystem::path("/etc/rcbatch/api-key"));

        ::unsetenv("CREDENTIALS_DIRECTORY");
        std::string error;
        CHECK_FALSE(resolve_api_key(p, error).has_value());
        CHECK(error.find("CREDENTIALS_DIRECTORY, which is not set") != std::string::npos);

        ::setenv("CREDENTIALS_DIRECTORY", dir.path.c_str(), 1);
        error.clear();
        CHECK(resolve_api_key(p, error) == std::optional<std::string>("CredKeyAbcdefGhijkl123456"));
        p.api_key_file = "${CREDENTIALS_DIRECTORY}/api-key";
        CHECK(resolve_api_key(p, error).has_value());
        ::unsetenv("CREDENTIALS_DIRECTORY");
    }

    TEST_CASE(
        "the contrib profile file loads, its key path kept as written for the service to expand") {
        const ProfileLoad load =
            load_profile_file(std::string(RCBATCH_SOURCE_DIR) + "/contrib/config.toml");
        REQUIRE(load.errors.empty());
        REQUIRE(load.config.has_value());
        CHECK(load.config->profiles.at("live").api_key_file == "$CREDENTIALS_DIRECTORY/api-key");
    }
}

}  // namespace credentials_path_test
