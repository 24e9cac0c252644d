// A run folder with names planted in it (README "Hostile files"): every reader refuses a FIFO,
// a link or an oversized file at once with one line naming it — none hangs or reads without
// bound — and no writer follows a link or replaces what is not a regular file of its own.

#include "engine/store/journal.hpp"
#include "engine/store/journal_scan.hpp"
#include "engine/store/regular_file.hpp"
#include "jobs/run_folder/report_pages.hpp"
#include "jobs/run_folder/run_history.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"
#include "tests/support/planted_files.hpp"
#include "tests/unit/jobs/run_folder/run_folder_support.hpp"

namespace planted_run_folder_test {

namespace {
// What read_run_folder throws, as one line; "(no error)" when it reads the folder.
std::string refusal_of(const fs::path& dir) {
    try {
        (void)read_run_folder(dir);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

// A finished run of two orders.
void finished_run(const fs::path& dir) {
    write(dir / "journal.jsonl",
          {header(2), intent(0), result(0, "ok"), intent(1), result(1, "ok")});
    write(dir / "results.jsonl",
          {json::serialize(record(0, "ok")), json::serialize(record(1, "ok"))});
    write(dir / "targets.jsonl", {"{}", "{}"});
    write(dir / "summary.json", {summary("none")});
}

// `bytes` zero bytes appended to `path` without a newline (sparse: no disk used).
void append_sparse(const fs::path& path, std::uintmax_t bytes) {
    fs::resize_file(path, fs::file_size(path) + bytes);
}

// A plan of one order, as `rcbatch plan` leaves it.
void plan_folder(const fs::path& dir) {
    write(dir / "plan.jsonl", {json::serialize(record(0, "ok"))});
    write(dir / "targets.jsonl", {R"({"seq":0,"given":"91000000","id":"91000000"})"});
    write(dir / "summary.json", {summary("none", true)});
}
}  // namespace

TEST_SUITE("run folder: planted files") {
    TEST_CASE("a FIFO, a link or an oversized file in place of a run-folder file: one line") {
        struct Case {
            const char* name;
            std::string kind;  // fifo, link, big
            const char* cause;
        };
        const Case cases[] = {
            {"journal.jsonl", "fifo", "journal.jsonl: the journal is a FIFO"},
            {"journal.jsonl", "link", "journal.jsonl: the journal is a symbolic link"},
            {"summary.json", "fifo", "summary.json: the file is a FIFO"},
            {"summary.json", "link", "summary.json: the file is a symbolic link"},
            {"summary.json", "big", "summary.json: the file is larger than the 64 MiB limit"},
            {"targets.jsonl", "fifo", "targets.jsonl: the file is a FIFO"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CAPTURE(c.kind);
            TempDir tmp{"rcbatch-planted"};
            const fs::path dir = run_dir(tmp);
            finished_run(dir);
            if (std::string_view(c.name) == "targets.jsonl") fs::remove(dir / "journal.jsonl");
            const fs::path at = dir / c.name;
            fs::remove(at);
            if (c.kind == "fifo") REQUIRE(rcbatch::test::fifo(at));
            if (c.kind == "link") fs::create_symlink("/dev/zero", at);
            if (c.kind == "big") rcbatch::test::sparse_file(at, 1ull << 30);  // 1 GiB, no disk
            const std::string why = refusal_of(dir);
            CHECK(why.find(c.cause) != std::string::npos);
            CHECK(why.find('\n') == std::string::npos);
        }
    }

    TEST_CASE("a journal line over the cap stops the scan; the journal is never read whole") {
        TempDir tmp{"rcbatch-planted"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(2), intent(0)});
        append_sparse(dir / "journal.jsonl", rcbatch::engine::max_run_folder_line_bytes + 1);
        CHECK_THROWS_WITH_AS(rcbatch::engine::scan_journal(dir / "journal.jsonl"),
                             doctest::Contains("line 3 is longer than the 64 MiB limit"),
                             rcbatch::engine::JournalError);
    }

    TEST_CASE("a plan with a FIFO plan.jsonl, or targets.jsonl linked to /dev/zero: refused") {
        TempDir tmp{"rcbatch-planted"};
        const fs::path dir = run_dir(tmp);
        plan_folder(dir);
        CHECK(rcbatch::jobs::PlanSource(dir).next().has_value());  // the plan as it was made
        fs::remove(dir / "targets.jsonl");
        fs::create_symlink("/dev/zero", dir / "targets.jsonl");
        CHECK_THROWS_WITH_AS(rcbatch::jobs::PlanSource{dir},
                             doctest::Contains("targets.jsonl: the file is a symbolic link"),
                             std::runtime_error);
        fs::remove(dir / "targets.jsonl");
        fs::remove(dir / "plan.jsonl");
        REQUIRE(rcbatch::test::fifo(dir / "plan.jsonl"));
        CHECK_THROWS_WITH_AS(rcbatch::jobs::PlanSource{dir},
                             doctest::Contains("plan.jsonl: the file is a FIFO"),
                             std::runtime_error);
    }

    TEST_CASE("the run's targets.jsonl: a line over the cap ends the run's targets with an error") {
        TempDir tmp{"rcbatch-planted"};
        const fs::path dir = run_dir(tmp);
        write(dir / "targets.jsonl", {R"({"seq":0,"given":"1","id":"1"})"});
        append_sparse(dir / "targets.jsonl", rcbatch::engine::max_run_folder_line_bytes + 1);
        rcbatch::jobs::TargetsFileSource source(dir / "targets.jsonl");
        CHECK(source.next().has_value());
        // Never a quiet end of the batch: the orders after it would be left unrun unseen.
        CHECK_THROWS_WITH_AS(source.next(), doctest::Contains("line 2 is longer"),
                             std::runtime_error);
    }

    TEST_CASE("rebuilding a dead run's reports never writes through planted links") {
        for (const char* planted : {"results.jsonl", "results.csv"}) {
            CAPTURE(planted);
            TempDir tmp{"rcbatch-planted"};
            const fs::path dir = run_dir(tmp);
            write(dir / "journal.jsonl", {header(2), intent(0), result(0, "ok")});
            rcbatch::test::write_text(tmp.path / "victim", "keep");
            fs::create_symlink(tmp.path / "victim", dir / planted);
            const std::string why = refusal_of(dir);
            CHECK(why.find(std::string(planted) + ": the file is a symbolic link") !=
                  std::string::npos);
            CHECK(slurp(tmp.path / "victim") == "keep");
            CHECK(fs::is_symlink(dir / planted));
            CHECK_FALSE(fs::exists(dir / "summary.json"));
        }
    }

    TEST_CASE("report --html: links at the old temporary names change nothing; at the report's") {
        TempDir tmp{"rcbatch-planted"};
        const fs::path dir = run_dir(tmp);
        finished_run(dir);
        rcbatch::test::write_text(tmp.path / "victim", "keep");
        fs::create_symlink(tmp.path / "victim", dir / "report.html.tmp");
        fs::create_symlink(tmp.path / "victim", dir / "results.junit.xml.tmp");
        const auto files = rcbatch::jobs::write_run_reports(dir);
        CHECK(slurp(tmp.path / "victim") == "keep");
        CHECK(slurp(files.html).find("<html") != std::string::npos);
        CHECK(slurp(files.junit).find("<testsuite") != std::string::npos);

        fs::remove(dir / "report.html");
        fs::create_symlink(tmp.path / "victim", dir / "report.html");
        CHECK_THROWS_WITH_AS(rcbatch::jobs::write_run_reports(dir),
                             doctest::Contains("report.html: the file is a symbolic link"),
                             rcbatch::engine::FileError);
        CHECK(slurp(tmp.path / "victim") == "keep");
        CHECK(fs::is_symlink(dir / "report.html"));
    }
}

}  // namespace planted_run_folder_test
