#include "serve/http/access_token.hpp"

#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

namespace access_token_test {

using namespace rcbatch::serve;
using rcbatch::test::TempDir;

namespace {

std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text,
                                 mode_t mode = 0600) {
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), mode);
    return path;
}

// The message read_token_file throws, or "" when it reads the token.
std::string refusal(const std::filesystem::path& path) {
    try {
        read_token_file(path);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

const std::string good = "0123456789abcdefXYZ";

}  // namespace

TEST_SUITE("serve access token") {
    TEST_CASE("the token is the file's one line, trimmed") {
        TempDir tmp{"rcbatch-serve-token"};
        CHECK(read_token_file(write_file(tmp.path / "a", good)) == good);
        CHECK(read_token_file(write_file(tmp.path / "b", "  " + good + "\r\n\n")) == good);
        CHECK(read_token_file(write_file(tmp.path / "c", good, 0400)) == good);
        std::filesystem::create_symlink(tmp.path / "a", tmp.path / "link");
        CHECK(read_token_file(tmp.path / "link") == good);
    }

    TEST_CASE("a token file that is not a private regular file with one token is refused") {
        TempDir tmp{"rcbatch-serve-token"};
        struct Case {
            std::filesystem::path path;
            const char* says;
        };
        std::filesystem::create_directory(tmp.path / "dir");
        ::mkfifo((tmp.path / "fifo").c_str(), 0600);
        const std::vector<Case> cases{
            {write_file(tmp.path / "group", good, 0640), "can be read by others; run chmod 600"},
            {write_file(tmp.path / "other", good, 0604), "can be read by others"},
            {write_file(tmp.path / "gwrite", good, 0620), "can be read by others"},
            {write_file(tmp.path / "empty", " \n"), "is empty"},
            {write_file(tmp.path / "short", "0123456789abcde"), "shorter than 16 characters"},
            {write_file(tmp.path / "two", good + "\n" + good), "more than one line"},
            {write_file(tmp.path / "space", "0123456789 abcdefgh"), "printable ASCII"},
            {write_file(tmp.path / "semi", "0123456789;abcdefgh"), "printable ASCII"},
            {write_file(tmp.path / "utf8",
                        "0123456789\xc3\xa9"
                        "abcdefgh"),
             "printable ASCII"},
            {write_file(tmp.path / "nul", std::string("0123456789\0abcdefgh", 19)),
             "printable ASCII"},
            {write_file(tmp.path / "big", std::string(5000, 'a')), "larger than"},
            {tmp.path / "missing", "does not exist"},
            {tmp.path / "dir", "is a directory"},
            {tmp.path / "fifo", "FIFO"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.path);
            const std::string message = refusal(c.path);
            CHECK(message.find(c.says) != std::string::npos);
            CHECK(message.starts_with(c.path.string() + ": "));
            CHECK(message.find('\n') == std::string::npos);
            CHECK(message.find(good) == std::string::npos);
        }
    }

    TEST_CASE("token_matches compares whole tokens, whatever the lengths") {
        CHECK(token_matches(good, good));
        CHECK_FALSE(token_matches(good + "x", good));
        CHECK_FALSE(token_matches(good.substr(0, good.size() - 1), good));
        CHECK_FALSE(token_matches("", good));
        CHECK_FALSE(token_matches("", ""));
        CHECK_FALSE(token_matches(std::string(10000, 'a'), good));
        std::string flipped = good;
        flipped[5] ^= 1;
        CHECK_FALSE(token_matches(flipped, good));
    }

    TEST_CASE("the token comes from Authorization: Bearer, else the rcbatch_token cookie") {
        struct Case {
            const char* authorization;
            const char* cookie;
            const char* token;
        };
        for (const Case& c : {
                 Case{"Bearer abc", "", "abc"},
                 Case{"bearer  abc ", "", "abc"},
                 Case{"BEARER abc", "rcbatch_token=def", "abc"},
                 Case{"", "rcbatch_token=def", "def"},
                 Case{"", "a=1; rcbatch_token=def; b=2", "def"},
                 Case{"", "a=1;rcbatch_token=def", "def"},
                 Case{"", "rcbatch_token=\"def\"", "def"},
                 Case{"", "xrcbatch_token=def; rcbatch_token_old=ghi", ""},
                 Case{"", "rcbatch_token=; other=x", ""},
                 Case{"", "rcbatch_token", ""},
                 Case{"Basic YWJjOmRlZg==", "", ""},
                 Case{"Basic YWJjOmRlZg==", "rcbatch_token=def", "def"},
                 Case{"Bearer", "", ""},
                 Case{"Bearer ", "rcbatch_token=def", "def"},
                 Case{"", "", ""},
             }) {
            CAPTURE(c.authorization);
            CAPTURE(c.cookie);
            CHECK(token_in_request(c.authorization, c.cookie) == c.token);
        }
    }
}

}  // namespace access_token_test
