// Files that are not what they claim to be: a FIFO, a directory, a character device (directly
// or through a symlink), a file without read permission, a file past its size cap, a missing
// one. Each is refused at once with one line naming the file and the cause; none may hang or
// be read without end. The job file, the profile file, the key file and a targets file alike.

#include "config/job.hpp"
#include "config/profile.hpp"
#include "engine/store/regular_file.hpp"
#include "jobs/select/target_file_reader.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hostile_files_test {

namespace fs = std::filesystem;
using namespace rcbatch;
using rcbatch::test::TempDir;

namespace {
struct Hostile {
    std::string name;
    fs::path path;
    std::string cause;  // what the message must say
};

// Every unreadable kind under `dir`, the oversized one past `cap` bytes (sparse: no disk).
std::vector<Hostile> hostile_files(const fs::path& dir, std::uint64_t cap) {
    std::vector<Hostile> out;
    const fs::path fifo = dir / "fifo.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    out.push_back({"FIFO", fifo, "is a FIFO (named pipe), not a regular file"});
    fs::create_directory(dir / "folder.toml");
    out.push_back({"directory", dir / "folder.toml", "is a directory"});
    out.push_back({"/dev/zero", "/dev/zero", "is a character device"});
    fs::create_symlink("/dev/zero", dir / "zero.toml");
    out.push_back({"symlink to /dev/zero", dir / "zero.toml", "is a character device"});
    const fs::path huge = dir / "huge.toml";
    std::ofstream(huge) << "name = \"x\"\n";
    fs::resize_file(huge, cap + 1);
    out.push_back(
        {"past the cap", huge, "is larger than the " + engine::size_text(cap) + " limit"});
    out.push_back({"missing", dir / "missing.toml", "does not exist"});
    if (::geteuid() != 0) {  // root reads any file: the permission case means nothing there
        const fs::path locked = dir / "locked.toml";
        std::ofstream(locked) << "name = \"x\"\n";
        ::chmod(locked.c_str(), 0);
        out.push_back({"no permission", locked, "Permission denied"});
    }
    return out;
}

void check_one_line(const std::string& message, const Hostile& h) {
    CAPTURE(h.name);
    CAPTURE(message);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find(h.path.string()) != std::string::npos);
    CHECK(message.find(h.cause) != std::string::npos);
}
}  // namespace

TEST_SUITE("hostile files") {
    TEST_CASE("a job file that is not a regular file or too big: one located line, no hang") {
        TempDir tmp{"rcbatch-hostile"};
        for (const Hostile& h : hostile_files(tmp.path, engine::max_toml_bytes)) {
            const config::JobLoad loaded =
                config::load_job(h.path, rcbatch::jobs::seen_keys_in_memory);
            CHECK_FALSE(loaded.job.has_value());
            REQUIRE(loaded.errors.size() == 1);
            check_one_line(config::format(loaded.errors[0]), h);
        }
    }

    TEST_CASE("a profile file likewise") {
        TempDir tmp{"rcbatch-hostile"};
        for (const Hostile& h : hostile_files(tmp.path, engine::max_toml_bytes)) {
            const config::ProfileLoad loaded = config::load_profile_file(h.path);
            CHECK_FALSE(loaded.config.has_value());
            REQUIRE(loaded.errors.size() == 1);
            check_one_line(config::format(loaded.errors[0]), h);
        }
    }

    TEST_CASE("an API key file likewise, and the key never in the message") {
        TempDir tmp{"rcbatch-hostile"};
        for (const Hostile& h : hostile_files(tmp.path, engine::max_key_file_bytes)) {
            config::Profile p;
            p.name = "live";
            p.api_key_file = h.path;
            std::string error;
            CHECK_FALSE(config::resolve_api_key(p, error).has_value());
            check_one_line(error, h);
        }
    }

    TEST_CASE("a targets file likewise, located at the job's file key") {
        TempDir tmp{"rcbatch-hostile"};
        for (const Hostile& h : hostile_files(tmp.path, engine::max_target_file_bytes)) {
            CHECK_THROWS_WITH_AS(jobs::TargetFileReader(h.path.string()),
                                 doctest::Contains(h.cause.c_str()), std::runtime_error);
            const fs::path job = tmp.path / "job.toml";
            std::ofstream(job) << "name = \"x\"\naction = \"backup.details\"\nregion = \"us\"\n"
                               << "[targets]\nfile = \"" << h.path.string() << "\"\n";
            const config::JobLoad loaded =
                config::load_job(job, rcbatch::jobs::seen_keys_in_memory);
            REQUIRE(loaded.errors.size() == 1);
            const std::string line = config::format(loaded.errors[0]);
            CHECK(line.rfind(job.string() + ":5:8: targets.file: ", 0) == 0);
            check_one_line(line, h);
        }
    }

    TEST_CASE("a readable key file of mode 0600 still works, its first line the key") {
        TempDir tmp{"rcbatch-hostile"};
        const fs::path key = tmp.path / "key";
        std::ofstream(key) << "k3y\r\nsecond line\n";
        ::chmod(key.c_str(), 0600);
        config::Profile p;
        p.name = "live";
        p.api_key_file = key;
        std::string error;
        CHECK(config::resolve_api_key(p, error) == "k3y");
    }

    TEST_CASE("size_text names caps in binary units") {
        CHECK(engine::size_text(1ull << 20) == "1 MiB");
        CHECK(engine::size_text(256ull << 20) == "256 MiB");
        CHECK(engine::size_text(512ull << 10) == "512 KiB");
        CHECK(engine::size_text(1) == "1 byte");
        CHECK(engine::size_text(1000) == "1000 bytes");
    }
}

}  // namespace hostile_files_test
