// The files after the run, against the built binary (README "Hostile files"): run folders with
// a FIFO, a link to /dev/zero or links to a victim planted in them — `report`, `report --html`,
// `run --resume` and `run --plan` answer at once with one line, follow no link and send
// nothing. A command that would hang is killed at a generous deadline and the test fails.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/planted_files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

namespace after_run_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
const std::map<std::string, std::string> no_profiles{{"RCBATCH_CONFIG", ""},
                                                     {"HOME", "/nonexistent"}};

// A hang, not a slow machine: every case here answers without reading anything big.
constexpr std::chrono::seconds hang{120};

struct Answer {
    int exit_code = -1;
    std::string err;
};

// rcbatch with `args`; a command still running at the deadline is killed and fails the test.
Answer answer_of(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = no_profiles) {
    rcbatch::test::ChildProcess child(rcbatch::test::rcbatch_binary(), args, env);
    const std::optional<int> code = child.wait(hang);
    CAPTURE(child.err());
    REQUIRE_MESSAGE(code.has_value(), "rcbatch hung");
    return {*code, child.err()};
}

// A finished read-only run of three orders with the in-process sandbox: its run folder.
fs::path finished_run(const TempDir& tmp, const std::string& name) {
    const fs::path reports = tmp.path / "reports";
    auto r = run_rcbatch(
        {"run", rcbatch::test::details_job(tmp.path, name, rcbatch::test::active_us_backups(3)),
         "--sandbox", "--quiet", "--report-dir", reports.string()},
        no_profiles);
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path dir = rcbatch::test::only_run_folder(reports, name);
    REQUIRE(!dir.empty());
    return dir;
}

// A backup.renew job of `ids` against `sb`, written beside its profile file.
fs::path renew_job(const fs::path& dir, const std::vector<std::int64_t>& ids) {
    const fs::path job = dir / "renew.toml";
    std::ofstream out(job);
    out << "name = \"renew\"\naction = \"backup.renew\"\nregion = \"us\"\nprofile = \"t\"\n"
        << "[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = "
           "false\n[run]\nrate = 0.0\n";
    return job;
}

void replace_with_fifo(const fs::path& path) {
    fs::remove(path);
    REQUIRE(rcbatch::test::fifo(path));
}

void replace_with_link(const fs::path& path, const fs::path& target) {
    fs::remove(path);
    fs::create_symlink(target, path);
}
}  // namespace

TEST_SUITE("e2e: hostile files after the run") {
    TEST_CASE("report: a FIFO journal or summary, or summary.json -> /dev/zero: exit 2, one line") {
        TempDir tmp{"rcbatch-e2e-after"};
        const fs::path dir = finished_run(tmp, "read");
        const std::string summary = rcbatch::test::slurp(dir / "summary.json");
        struct Case {
            const char* name;
            bool fifo;
            const char* cause;
        };
        for (const Case& c : {Case{"journal.jsonl", true, "the journal is a FIFO"},
                              Case{"summary.json", true, "the file is a FIFO"},
                              Case{"summary.json", false, "the file is a symbolic link"}}) {
            CAPTURE(c.name);
            const fs::path saved = tmp.path / "saved";
            fs::rename(dir / c.name, saved);
            if (c.fifo)
                REQUIRE(rcbatch::test::fifo(dir / c.name));
            else
                fs::create_symlink("/dev/zero", dir / c.name);
            const Answer a = answer_of({"report", dir.string()});
            CHECK(a.exit_code == 2);
            CHECK(rcbatch::test::count_lines(a.err) == 1);
            CHECK(a.err.find((dir / c.name).string() + ": " + c.cause) != std::string::npos);
            fs::remove(dir / c.name);
            fs::rename(saved, dir / c.name);
        }
        CHECK(rcbatch::test::slurp(dir / "summary.json") == summary);
    }

    TEST_CASE("report on a dead run: planted results.csv / results.jsonl links are not written") {
        for (const char* planted : {"results.csv", "results.jsonl"}) {
            CAPTURE(planted);
            TempDir tmp{"rcbatch-e2e-after"};
            const fs::path dir = finished_run(tmp, "dead");
            fs::remove(dir / "summary.json");  // as a run killed before its end leaves it
            rcbatch::test::write_text(tmp.path / "victim", "keep");
            replace_with_link(dir / planted, tmp.path / "victim");
            const Answer a = answer_of({"report", dir.string()});
            CHECK(a.exit_code == 2);
            CHECK(a.err.find(std::string(planted) + ": the file is a symbolic link") !=
                  std::string::npos);
            CHECK(rcbatch::test::slurp(tmp.path / "victim") == "keep");
            CHECK(fs::is_symlink(dir / planted));
        }
    }

    TEST_CASE("report --html: links at report.html.tmp / results.junit.xml.tmp are left alone") {
        TempDir tmp{"rcbatch-e2e-after"};
        const fs::path dir = finished_run(tmp, "html");
        rcbatch::test::write_text(tmp.path / "victim", "keep");
        for (const char* name : {"report.html", "results.junit.xml"}) fs::remove(dir / name);
        fs::create_symlink(tmp.path / "victim", dir / "report.html.tmp");
        fs::create_symlink(tmp.path / "victim", dir / "results.junit.xml.tmp");
        const Answer a = answer_of({"report", dir.string(), "--html"});
        CHECK(a.exit_code == 0);
        CHECK(rcbatch::test::slurp(tmp.path / "victim") == "keep");
        CHECK(fs::is_regular_file(fs::symlink_status(dir / "report.html")));
        CHECK(fs::is_regular_file(fs::symlink_status(dir / "results.junit.xml")));
        // At the report's own name, the link is refused, not replaced nor written through.
        replace_with_link(dir / "report.html", tmp.path / "victim");
        const Answer b = answer_of({"report", dir.string(), "--html"});
        CHECK(b.exit_code == 2);
        CHECK(b.err.find("report.html: the file is a symbolic link") != std::string::npos);
        CHECK(rcbatch::test::slurp(tmp.path / "victim") == "keep");
    }

    TEST_CASE("run --resume with a FIFO journal, run --plan with a FIFO plan or linked targets") {
        TempDir tmp{"rcbatch-e2e-after"};
        rcbatch::test::SandboxChild sb((tmp.path / "ca.pem").string(), {});
        const fs::path config = sb.write_profile(tmp.path / "profiles.toml", "t");
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.api_key},
                                                     {"RCBATCH_CONFIG", config.string()}};
        const fs::path job = renew_job(tmp.path, rcbatch::test::active_us_backups(2));
        const fs::path reports = tmp.path / "reports";
        auto plan =
            run_rcbatch({"plan", job.string(), "--report-dir", reports.string(), "--quiet"}, env);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        const fs::path plan_dir = rcbatch::test::only_run_folder(reports, "renew");
        REQUIRE(!plan_dir.empty());
        const auto sent_before = sb.api_requests();

        fs::copy_file(plan_dir / "plan.jsonl", tmp.path / "plan.jsonl");
        replace_with_fifo(plan_dir / "plan.jsonl");
        const Answer fifo_plan = answer_of({"run", job.string(), "--plan", plan_dir.string()}, env);
        CHECK(fifo_plan.exit_code == 2);
        CHECK(fifo_plan.err.find("plan.jsonl: the file is a FIFO") != std::string::npos);
        fs::remove(plan_dir / "plan.jsonl");
        fs::copy_file(tmp.path / "plan.jsonl", plan_dir / "plan.jsonl");

        replace_with_link(plan_dir / "targets.jsonl", "/dev/zero");
        const Answer zero = answer_of({"run", job.string(), "--plan", plan_dir.string()}, env);
        CHECK(zero.exit_code == 2);
        CHECK(zero.err.find("targets.jsonl: the file is a symbolic link") != std::string::npos);

        // A run folder whose journal was swapped for a FIFO.
        const fs::path run_dir = tmp.path / "run";
        fs::create_directories(run_dir);
        fs::copy_file(plan_dir / "summary.json", run_dir / "summary.json");
        REQUIRE(rcbatch::test::fifo(run_dir / "journal.jsonl"));
        const Answer resume = answer_of({"run", job.string(), "--resume", run_dir.string()}, env);
        CHECK(resume.exit_code == 2);
        CHECK(resume.err.find("journal.jsonl: the journal is a FIFO") != std::string::npos);
        CHECK(sb.api_requests() == sent_before);  // nothing was sent
    }
}

}  // namespace after_run_test
