// Run folders with many failures, damaged or foreign files, and hostile text.

#include "tests/unit/jobs/run_folder/run_folder_support.hpp"

namespace run_folder_damage_test {

TEST_SUITE("run folder") {
    TEST_CASE("at most the limit of failed orders are listed, unknown ones first") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        {
            std::ofstream out(dir / "journal.jsonl");
            out << header(62) << '\n';
            for (std::uint64_t seq = 0; seq < 60; ++seq)
                out << result(seq, "api_error", "no") << '\n';
            out << result(60, "unknown") << '\n' << result(61, "unknown") << '\n';
        }
        write(dir / "summary.json", {summary("none")});
        const auto r = read_run_folder(dir);
        REQUIRE(r.failures.size() == 50);
        CHECK(r.failures[0].seq == 60);
        CHECK(r.failures[1].seq == 61);
        CHECK(r.failures[2].seq == 0);
        CHECK(r.failures_left_off == 12);
        CHECK(rcbatch::jobs::report_text(r).find("... and 12 more (see results.csv)") !=
              std::string::npos);

        const auto all = read_run_folder(
            dir, ReportOptions{.failure_limit = 0, .rebuild = true, .state_dir = {}});
        CHECK(all.failures.size() == 62);
        CHECK(all.failures_left_off == 0);
    }

    TEST_CASE("damaged or foreign folders are refused with one line naming the file") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        auto message_of = [](const fs::path& d) -> std::string {
            try {
                (void)read_run_folder(d);
            } catch (const RunFolderError& e) {
                return e.what();
            }
            return "(no error)";
        };
        CHECK(message_of(tmp.path / "nowhere").find("no such folder") != std::string::npos);
        CHECK(message_of(dir).find("is not a run folder") != std::string::npos);

        write(dir / "journal.jsonl", {intent(0), result(0, "ok")});
        CHECK(message_of(dir).find((dir / "journal.jsonl").string()) != std::string::npos);

        write(dir / "journal.jsonl", {header(1), result(7, "ok")});
        CHECK(message_of(dir).find("outside the run's 1 targets") != std::string::npos);

        write(dir / "journal.jsonl", {header(1), result(0, "ok")});
        write(dir / "summary.json", {"{not json"});
        const std::string bad_summary = message_of(dir);
        CHECK(bad_summary.find((dir / "summary.json").string()) != std::string::npos);
        CHECK(bad_summary.find('\n') == std::string::npos);
    }

    TEST_CASE("a damaged line in the middle of the journal is counted and fails the report") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(2), result(0, "ok"), "{garbage", result(1, "ok")});
        write(dir / "summary.json", {summary("none")});
        const auto r = read_run_folder(dir);
        CHECK(r.damaged_lines == 1);
        CHECK(r.state == RunState::finished);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);
        CHECK(rcbatch::jobs::report_text(r).find("1 line of the journal could not be read") !=
              std::string::npos);
    }

    TEST_CASE("untrusted text is shown on one line, controls and bidi escaped") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl",
              {header(1), result(0, "api_error", "bad\nthing\x1b[31m \xe2\x80\xae")});
        write(dir / "summary.json", {summary("none")});
        const std::string text = rcbatch::jobs::report_text(read_run_folder(dir));
        CHECK(text.find("bad\\x0athing\\x1b[31m \\u202e") != std::string::npos);
        CHECK(text.find('\x1b') == std::string::npos);
        CHECK(text.find("\xe2\x80\xae") == std::string::npos);
    }
}

}  // namespace run_folder_damage_test
