#include "engine/report/text_spool.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace text_spool_test {

using rcbatch::engine::TextSpool;
namespace fs = std::filesystem;

namespace {

std::string read_all(const TextSpool& spool, std::size_t* pieces = nullptr) {
    std::string out;
    spool.read([&](std::string_view piece) {
        out += piece;
        if (pieces != nullptr) ++*pieces;
    });
    return out;
}

// $TMPDIR set to a fresh folder for the test's length.
struct TempDirEnv {
    fs::path dir = fs::temp_directory_path() / ("rcbatch-spool-" + std::to_string(::getpid()));
    std::string before;
    bool had = false;
    TempDirEnv() {
        fs::create_directories(dir);
        if (const char* t = std::getenv("TMPDIR")) {
            had = true;
            before = t;
        }
        ::setenv("TMPDIR", dir.c_str(), 1);
    }
    ~TempDirEnv() {
        if (had)
            ::setenv("TMPDIR", before.c_str(), 1);
        else
            ::unsetenv("TMPDIR");
        fs::remove_all(dir);
    }
};

}  // namespace

TEST_SUITE("text_spool") {
    TEST_CASE("reads back what was appended, in order, in pieces") {
        TempDirEnv env;
        TextSpool spool;
        CHECK(spool.empty());
        CHECK(read_all(spool).empty());
        std::string expected;
        for (int i = 0; i < 20000; ++i) {
            const std::string row = "<tr><td>" + std::to_string(i) + "</td></tr>\n";
            spool.append(row);
            expected += row;
        }
        CHECK_FALSE(spool.empty());
        std::size_t pieces = 0;
        CHECK(read_all(spool, &pieces) == expected);
        CHECK(pieces > 1);
        CHECK(read_all(spool) == expected);  // read again: the same
        CHECK(fs::is_empty(env.dir));        // the temporary file has no name
    }

    TEST_CASE("a little text is read back whole") {
        TextSpool spool;
        spool.append("a");
        spool.append("bc");
        CHECK(read_all(spool) == "abc");
    }
}

}  // namespace text_spool_test
