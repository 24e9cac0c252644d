#include "config/job.hpp"
#include "config/profile.hpp"

#include <doctest/doctest.h>

#include <filesystem>

namespace examples_test {

namespace fs = std::filesystem;
using namespace rcbatch::config;

TEST_SUITE("examples") {
    TEST_CASE("every example job validates clean") {
        int count = 0;
        for (const auto& entry :
             fs::directory_iterator(fs::path(RCBATCH_SOURCE_DIR) / "jobs/examples")) {
            if (entry.path().extension() != ".toml") continue;
            ++count;
            CAPTURE(entry.path().string());
            JobLoad loaded = load_job(entry.path(), rcbatch::jobs::seen_keys_in_memory);
            for (const auto& d : loaded.errors) MESSAGE(format(d));
            CHECK(loaded.errors.empty());
            CHECK(loaded.job.has_value());
        }
        CHECK(count >= 3);
    }

    TEST_CASE("the example profile file loads") {
        ProfileLoad loaded =
            load_profile_file(fs::path(RCBATCH_SOURCE_DIR) / "config/rcbatch.example.toml");
        for (const auto& d : loaded.errors) MESSAGE(format(d));
        REQUIRE(loaded.config.has_value());
        CHECK(loaded.config->profiles.size() == 2);
        CHECK(loaded.config->default_profile == "test");
        std::string error;
        const Profile* p = choose_profile(*loaded.config, "", error);
        REQUIRE(p != nullptr);
        CHECK(p->environment == "test");
        CHECK(p->auth_userid == 123456);
    }
}

}  // namespace examples_test
