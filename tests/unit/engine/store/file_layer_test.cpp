// The file layer against names planted in a folder (README "Hostile files"): the checked open
// that never follows a link inside a run folder, the line reader's cap, the private files
// opened for writing and the one atomic-file primitive — FIFOs, device nodes, symbolic and
// hard links made in a temporary folder.

#include "engine/store/atomic_file.hpp"
#include "engine/store/line_reader.hpp"
#include "engine/store/private_file.hpp"
#include "engine/store/regular_file.hpp"
#include "tests/support/files.hpp"
#include "tests/support/planted_files.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace file_layer_test {

namespace fs = std::filesystem;
using namespace rcbatch::engine;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;
using rcbatch::test::write_text;

namespace {
std::vector<std::string> all_lines(const fs::path& path, std::uint64_t cap, std::string& error) {
    std::string why;
    auto file = open_regular_file(path, no_size_cap, why, Links::refuse);
    REQUIRE(file);
    LineReader in(std::move(*file), cap);
    std::vector<std::string> out;
    for (std::string line; in.next(line);) out.push_back(line);
    error = in.error();
    return out;
}

// The names that are not a regular file of the caller's, each beside a victim it must not
// touch; `what` is the cause the refusal names.
struct Planted {
    std::string name, what;
};

std::vector<Planted> plant(const fs::path& dir, const fs::path& victim) {
    std::vector<Planted> out;
    fs::create_symlink(victim, dir / "link");
    out.push_back({"link", "is a symbolic link"});
    fs::create_symlink(dir / "nowhere", dir / "dangling");
    out.push_back({"dangling", "is a symbolic link"});
    REQUIRE(rcbatch::test::fifo(dir / "fifo"));
    out.push_back({"fifo", "is a FIFO"});
    fs::create_directory(dir / "folder");
    out.push_back({"folder", "is a directory"});
    fs::create_hard_link(victim, dir / "hard");
    out.push_back({"hard", "has other hard links"});
    if (rcbatch::test::device_node(dir / "null", 3))
        out.push_back({"null", "is a character device"});
    else
        MESSAGE("mknod refused (not root): the device-node case is left out");
    return out;
}
}  // namespace

TEST_SUITE("file layer") {
    TEST_CASE("lines: each without its newline, the last one without one too, empty ones kept") {
        TempDir tmp("rcbatch-lines");
        write_text(tmp.path / "f", "one\n\ntwo\nthree");
        std::string error;
        CHECK(all_lines(tmp.path / "f", 16, error) ==
              std::vector<std::string>{"one", "", "two", "three"});
        CHECK(error.empty());
    }

    TEST_CASE(
        "a line over the cap ends the reading with its number; the file is never read whole") {
        TempDir tmp("rcbatch-lines");
        write_text(tmp.path / "f", "short\n" + std::string(5000, 'x') + "\nafter\n");
        std::string error;
        CHECK(all_lines(tmp.path / "f", 4096, error) == std::vector<std::string>{"short"});
        CHECK(error == "line 2 is longer than the 4 KiB limit");
        // 1 GiB without a newline (sparse: no disk used) costs the cap, not the file.
        rcbatch::test::sparse_file(tmp.path / "big", 1ull << 30);
        CHECK(all_lines(tmp.path / "big", 1 << 20, error).empty());
        CHECK(error == "line 1 is longer than the 1 MiB limit");
    }

    TEST_CASE("Links::refuse opens no symbolic link, wherever it points; Links::follow does") {
        TempDir tmp("rcbatch-links");
        write_text(tmp.path / "real", "text");
        fs::create_symlink(tmp.path / "real", tmp.path / "link");
        fs::create_symlink("/dev/zero", tmp.path / "zero");
        std::string error;
        CHECK_FALSE(read_regular_file(tmp.path / "link", 100, error, Links::refuse));
        CHECK(error == "is a symbolic link, not a regular file");
        CHECK_FALSE(read_regular_file(tmp.path / "zero", 100, error, Links::refuse));
        CHECK(error == "is a symbolic link, not a regular file");
        CHECK(read_regular_file(tmp.path / "link", 100, error) == "text");
        REQUIRE(rcbatch::test::fifo(tmp.path / "fifo"));
        CHECK_FALSE(read_regular_file(tmp.path / "fifo", 100, error, Links::refuse));
        CHECK(error == "is a FIFO (named pipe), not a regular file");
    }

    TEST_CASE("create: any name that exists is refused, a link or FIFO included, none followed") {
        TempDir tmp("rcbatch-private");
        write_text(tmp.path / "victim", "keep");
        for (const Planted& p : plant(tmp.path, tmp.path / "victim")) {
            CAPTURE(p.name);
            std::string error;
            CHECK(open_private_fd(tmp.path / p.name, FileOpen::create, error) < 0);
            CHECK(error == "exists already");
        }
        CHECK(slurp(tmp.path / "victim") == "keep");
        std::string error;
        const int fd = open_private_fd(tmp.path / "new", FileOpen::create, error);
        REQUIRE(fd >= 0);
        ::close(fd);
        CHECK((fs::status(tmp.path / "new").permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write));
    }

    TEST_CASE("replace and append: only a regular file of the caller's with one link") {
        TempDir tmp("rcbatch-private");
        write_text(tmp.path / "victim", "keep");
        for (FileOpen how : {FileOpen::replace, FileOpen::append}) {
            for (const Planted& p : plant(tmp.path, tmp.path / "victim")) {
                CAPTURE(p.name);
                std::string error;
                CHECK(open_private_fd(tmp.path / p.name, how, error) < 0);  // no FIFO hangs it
                CHECK(error.find(p.what) == 0);
            }
            CHECK(slurp(tmp.path / "victim") == "keep");
            CHECK(rcbatch::test::is_char_device(tmp.path / "null") ==
                  fs::exists(fs::symlink_status(tmp.path / "null")));
            for (const char* name : {"link", "dangling", "fifo", "hard", "null"})
                fs::remove(tmp.path / name);
            fs::remove(tmp.path / "folder");
        }
    }

    TEST_CASE("replace puts a new file in place of one's own; append continues it") {
        TempDir tmp("rcbatch-private");
        write_text(tmp.path / "mine", "old\n");
        std::string error;
        std::FILE* f = open_private_file(tmp.path / "mine", FileOpen::append, error);
        REQUIRE(f);
        std::fputs("more\n", f);
        std::fclose(f);
        CHECK(slurp(tmp.path / "mine") == "old\nmore\n");
        f = open_private_file(tmp.path / "mine", FileOpen::replace, error);
        REQUIRE(f);
        std::fputs("new\n", f);
        std::fclose(f);
        CHECK(slurp(tmp.path / "mine") == "new\n");
    }

    TEST_CASE("an atomic file is never renamed over a link, FIFO, folder or device node") {
        TempDir tmp("rcbatch-atomic");
        write_text(tmp.path / "victim", "keep");
        for (const Planted& p : plant(tmp.path, tmp.path / "victim")) {
            CAPTURE(p.name);
            const auto before = fs::symlink_status(tmp.path / p.name).type();
            const std::string expected =
                "cannot write " + (tmp.path / p.name).string() + ": the file " + p.what;
            CHECK_THROWS_WITH_AS(write_file_atomically(tmp.path / p.name, "new", 0600),
                                 doctest::Contains(expected.c_str()), FileError);
            CHECK(fs::symlink_status(tmp.path / p.name).type() == before);
        }
        CHECK(slurp(tmp.path / "victim") == "keep");
        CHECK(rcbatch::test::is_char_device(tmp.path / "null") ==
              fs::exists(fs::symlink_status(tmp.path / "null")));
        std::size_t names = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path)) ++names;
        CHECK(names == 6 + fs::exists(fs::symlink_status(tmp.path / "null")));  // no temporary
    }

    TEST_CASE("an atomic file replaces one's own whole, in the same folder, and syncs") {
        TempDir tmp("rcbatch-atomic");
        write_text(tmp.path / "report.html", "old");
        // A planted name where a fixed temporary name would be: the temporary is a new name.
        fs::create_symlink(tmp.path / "victim", tmp.path / "report.html.tmp");
        {
            AtomicFile file(tmp.path / "report.html", 0640);
            file.write("new ");
            file.write("text");
            CHECK(slurp(tmp.path / "report.html") == "old");  // nothing shows before commit
            file.commit();
        }
        CHECK(slurp(tmp.path / "report.html") == "new text");
        CHECK_FALSE(fs::exists(tmp.path / "victim"));
        CHECK((fs::status(tmp.path / "report.html").permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
        {
            AtomicFile abandoned(tmp.path / "report.html", 0600);
            abandoned.write("half");
        }  // not committed: the old file stays, the temporary goes
        CHECK(slurp(tmp.path / "report.html") == "new text");
        std::size_t names = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path)) ++names;
        CHECK(names == 2);
    }
}

}  // namespace file_layer_test
