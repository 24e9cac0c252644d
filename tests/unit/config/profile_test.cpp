#include "config/profile.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace profile_test {

namespace fs = std::filesystem;
using namespace rcbatch::config;

namespace {
fs::path temp_path(const std::string& name) {
    return fs::temp_directory_path() / ("rcbatch-test-" + std::to_string(::getpid()) + "-" + name);
}
}  // namespace

TEST_SUITE("profile") {
    TEST_CASE("the key comes from the environment variable the profile names") {
        Profile p;
        p.name = "test";
        p.api_key_env = "RCBATCH_TEST_KEY_VAR";
        std::string error;
        ::unsetenv("RCBATCH_TEST_KEY_VAR");
        CHECK_FALSE(resolve_api_key(p, error).has_value());
        CHECK(error.find("RCBATCH_TEST_KEY_VAR") != std::string::npos);
        ::setenv("RCBATCH_TEST_KEY_VAR", "k3y-value", 1);
        CHECK(resolve_api_key(p, error) == "k3y-value");
        ::unsetenv("RCBATCH_TEST_KEY_VAR");
    }

    TEST_CASE("a key file readable by others is refused with chmod 600 advice") {
        const fs::path file = temp_path("key");
        std::ofstream(file) << "s3cret-key\n";
        ::chmod(file.c_str(), 0644);
        Profile p;
        p.name = "live";
        p.api_key_file = file;
        std::string error;
        CHECK_FALSE(resolve_api_key(p, error).has_value());
        CHECK(error.find("chmod 600") != std::string::npos);
        CHECK(error.find("s3cret") == std::string::npos);
        ::chmod(file.c_str(), 0600);
        CHECK(resolve_api_key(p, error) == "s3cret-key");
        fs::remove(file);
    }

    TEST_CASE("a missing key file is a one-line error naming it") {
        Profile p;
        p.name = "live";
        p.api_key_file = "/no/such/key";
        std::string error;
        CHECK_FALSE(resolve_api_key(p, error).has_value());
        CHECK(error.find("/no/such/key") != std::string::npos);
    }

    TEST_CASE("the profile file is found from the flag, the variable, then the home folder") {
        CHECK(find_profile_file("/x/config.toml") == fs::path("/x/config.toml"));
        ::setenv("RCBATCH_CONFIG", "/y/config.toml", 1);
        CHECK(find_profile_file("") == fs::path("/y/config.toml"));
        ::unsetenv("RCBATCH_CONFIG");
        const fs::path home = temp_path("home");
        fs::create_directories(home / "rcbatch");
        ::setenv("XDG_CONFIG_HOME", home.c_str(), 1);
        CHECK_FALSE(find_profile_file("").has_value());
        std::ofstream(home / "rcbatch" / "config.toml") << "";
        CHECK(find_profile_file("") == home / "rcbatch" / "config.toml");
        ::unsetenv("XDG_CONFIG_HOME");
        fs::remove_all(home);
    }

    TEST_CASE("an endpoint on neither official host is allowed for either environment") {
        const fs::path file = temp_path("profiles.toml");
        std::ofstream(file) << "[profiles.sandbox]\nenvironment = \"test\"\nauth-userid = 1\n"
                               "endpoint = \"https://127.0.0.1:8443\"\n";
        ProfileLoad loaded = load_profile_file(file);
        for (const auto& d : loaded.errors) MESSAGE(format(d));
        REQUIRE(loaded.config.has_value());
        CHECK(loaded.config->profiles.at("sandbox").endpoint == "https://127.0.0.1:8443");
        fs::remove(file);
    }

    TEST_CASE("proxy: a URL, an empty string (no proxy), or no key (the environment decides)") {
        const fs::path file = temp_path("proxy.toml");
        std::ofstream(file)
            << "[profiles.a]\nenvironment = \"test\"\nauth-userid = 1\n"
               "proxy = \"http://reseller:p%40ss@proxy.example:3128\"\n"
               "[profiles.b]\nenvironment = \"test\"\nauth-userid = 1\nproxy = \"\"\n"
               "[profiles.c]\nenvironment = \"test\"\nauth-userid = 1\n";
        ProfileLoad loaded = load_profile_file(file);
        for (const auto& d : loaded.errors) MESSAGE(format(d));
        REQUIRE(loaded.config.has_value());
        CHECK(loaded.config->profiles.at("a").proxy == "http://reseller:p%40ss@proxy.example:3128");
        CHECK(loaded.config->profiles.at("b").proxy == "");
        CHECK_FALSE(loaded.config->profiles.at("c").proxy.has_value());
        fs::remove(file);
    }

    TEST_CASE("a bad proxy is an error at its key, its password never shown") {
        const fs::path file = temp_path("bad-proxy.toml");
        std::ofstream(file) << "[profiles.a]\nenvironment = \"test\"\nauth-userid = 1\n"
                               "proxy = \"socks5://reseller:hunter2@proxy.example\"\n";
        ProfileLoad loaded = load_profile_file(file);
        REQUIRE(loaded.errors.size() == 1);
        const std::string text = format(loaded.errors[0]);
        CHECK(text.find(":4:") != std::string::npos);
        CHECK(text.find("profiles.a.proxy: 'socks5://reseller:***@proxy.example' is not an http:// "
                        "proxy URL") != std::string::npos);
        CHECK(text.find("hunter2") == std::string::npos);
        fs::remove(file);
    }
}

}  // namespace profile_test
