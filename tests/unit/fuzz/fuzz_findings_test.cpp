// What the libFuzzer targets (fuzz/) found, kept as regression tests: every input under
// tests/data/fuzz/ is named after the target that found it ("journal_scan-...") and must go
// through that target's code without a crash or undefined behaviour (the ASan+UBSan build
// checks that), ending in the documented error or a result.

#include "config/duration.hpp"
#include "config/job.hpp"
#include "config/profile.hpp"
#include "engine/report/result_record.hpp"
#include "engine/store/journal_error.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/api/reply_reader.hpp"
#include "jobs/select/target_file_reader.hpp"
#include "tests/support/files.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace fuzz_findings_test {

namespace fs = std::filesystem;
using namespace rcbatch;

namespace {
// Runs `file` through the target its name starts with; returns the target's name.
std::string replay(const fs::path& file) {
    const std::string name = file.filename().string();
    const std::string target = name.substr(0, name.find('-'));
    if (target == "journal_scan") {
        try {
            const engine::JournalScan scan = engine::scan_journal(file);
            engine::for_each_last_result(file, scan, true, [](const engine::OrderResult&) {});
        } catch (const engine::JournalError&) {
        }
    } else if (target == "job_loader") {
        CHECK_FALSE(config::load_job(file, rcbatch::jobs::seen_keys_in_memory).errors.empty());
    } else if (target == "profile_loader") {
        CHECK_FALSE(config::load_profile_file(file).errors.empty());
    } else if (target == "target_file") {
        try {
            jobs::TargetFileReader reader(file.string());
            while (reader.next()) {
            }
        } catch (const std::runtime_error&) {
        }
    } else if (target == "reply_reader") {
        const std::string body = test::slurp(file);
        (void)jobs::read_reply(200, "application/json", body, jobs::ReplyOptions{});
    } else if (target == "duration") {
        (void)config::parse_duration(test::slurp(file));
    } else {
        FAIL("no fuzz target is called " << target);
    }
    return target;
}
}  // namespace

TEST_SUITE("fuzz findings") {
    TEST_CASE("every kept input goes through its target cleanly") {
        std::vector<fs::path> files;
        for (const auto& e :
             fs::directory_iterator(fs::path(RCBATCH_SOURCE_DIR) / "tests/data/fuzz"))
            files.push_back(e.path());
        std::sort(files.begin(), files.end());
        CHECK(files.size() >= 2);
        for (const fs::path& file : files) {
            CAPTURE(file.filename().string());
            replay(file);
        }
    }

    TEST_CASE("a journal time outside the clock's range is no time (year 1013 overflowed)") {
        CHECK_FALSE(engine::parse_iso8601_utc("1013-11-30T05:11:59.384Z").has_value());
        CHECK_FALSE(engine::parse_iso8601_utc("-999-11-30T05:11:59Z").has_value());
        CHECK_FALSE(engine::parse_iso8601_utc("2026-11-30T-1:11:59Z").has_value());
        CHECK_FALSE(engine::parse_iso8601_utc("2026-11-30T05:-1:59Z").has_value());
        CHECK_FALSE(engine::parse_iso8601_utc("2026-11-30T05:11:59.-12Z").has_value());
        CHECK(engine::parse_iso8601_utc("2026-11-30T05:11:59.384Z").has_value());
    }

    TEST_CASE(
        "a journal header with an absurd targets count is a JournalError, not a throw of another "
        "kind") {
        const fs::path file =
            fs::path(RCBATCH_SOURCE_DIR) / "tests/data/fuzz/journal_scan-huge-targets.jsonl";
        CHECK_THROWS_WITH_AS(engine::scan_journal(file),
                             doctest::Contains("the header has no targets count"),
                             engine::JournalError);
        const fs::path big =
            fs::temp_directory_path() / ("rcbatch-fuzz-big-" + std::to_string(::getpid()));
        std::ofstream(big)
            << R"({"type":"run","job":"x","action":"a","params":{},"targets":200000000})" << '\n';
        CHECK_THROWS_WITH_AS(engine::scan_journal(big),
                             doctest::Contains("more than a run can have"), engine::JournalError);
        fs::remove(big);
    }
}

}  // namespace fuzz_findings_test
