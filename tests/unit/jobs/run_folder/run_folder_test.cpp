// jobs::read_run_folder over hand-written run folders: a finished run, a run that died with
// its last journal line cut short, a resumed run, a plan, a listing, and damaged folders.

#include "tests/unit/jobs/run_folder/run_folder_support.hpp"

namespace run_folder_test {

TEST_SUITE("run folder") {
    TEST_CASE("a finished run: counts over the journal's last results, unknown listed first") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl",
              {header(4), intent(0), result(0, "ok"), intent(1),
               result(1, "api_error", "Invalid order"), intent(2),
               result(2, "unknown", "reply lost"), result(3, "skipped", "not Active")});
        write(dir / "results.jsonl", {"results as the run wrote them"});
        write(dir / "summary.json", {summary("none")});
        const std::string before = slurp(dir / "results.jsonl");

        const auto r = read_run_folder(dir);
        CHECK(r.kind == FolderKind::run);
        CHECK(r.state == RunState::finished);
        CHECK(r.job == "renew");
        CHECK(r.action == "backup.renew");
        CHECK(r.targets == 4);
        CHECK(r.final_orders == 4);
        CHECK(r.no_result == 0);
        CHECK(r.sessions == 1);
        CHECK(r.open_intent_count == 0);
        CHECK(r.tally.count(Outcome::ok) == 1);
        CHECK(r.tally.count(Outcome::api_error) == 1);
        CHECK(r.tally.count(Outcome::unknown) == 1);
        CHECK(r.tally.count(Outcome::skipped) == 1);
        CHECK(r.tally.failed() == 2);
        REQUIRE(r.failures.size() == 2);
        CHECK(r.failures[0].outcome == Outcome::unknown);
        CHECK(r.failures[0].order_id == "91000002");
        CHECK(r.failures[1].outcome == Outcome::api_error);
        CHECK(r.failures[1].message == "Invalid order");
        CHECK_FALSE(r.rebuilt);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);
        CHECK(slurp(dir / "results.jsonl") == before);  // a finished folder is never changed

        const std::string text = rcbatch::jobs::report_text(r);
        CAPTURE(text);
        CHECK(text.find("outcomes   ok 1   api_error 1   unknown 1   skipped 1\n") !=
              std::string::npos);
        CHECK(text.find("check by hand: may have been applied") != std::string::npos);
        CHECK(text.find("--resume") == std::string::npos);
        CHECK(text.find("  sessions   1\n") != std::string::npos);
        CHECK(text.find("unknown    seq 2  order 91000002") <
              text.find("api_error  seq 1  order 91000001"));
    }

    TEST_CASE("a finished run with every order ok or skipped exits 0") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(2), intent(0), result(0, "ok"), result(1, "skipped")});
        write(dir / "summary.json", {summary("none")});
        const auto r = read_run_folder(dir);
        CHECK(r.state == RunState::finished);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::ok);
        const json::object j = rcbatch::jobs::report_json(r);
        CHECK(j.at("exit_code").as_int64() == 0);
        CHECK(j.at("resume").is_null());
        CHECK(j.at("outcomes").at("ok").to_number<int>() == 1);
    }

    TEST_CASE("a run that died mid-run: its reports are rebuilt from the journal, once") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        // Order 2 has an intent and no result; order 3's result line was cut short by the crash;
        // results.jsonl lags the journal by a line.
        const std::string cut = result(3, "ok").substr(0, 30);
        write(dir / "journal.jsonl",
              {header(5), intent(0), result(0, "ok"), intent(1), result(1, "unknown", "reply lost"),
               intent(2), cut},
              true);
        write(dir / "results.jsonl", {json::serialize(record(0, "ok"))});
        write(dir / "targets.jsonl", {"{}", "{}", "{}", "{}", "{}"});

        const auto r = read_run_folder(dir);
        CHECK(r.state == RunState::died);
        CHECK(r.stop_reason == "died");
        CHECK(r.rebuilt);
        CHECK(r.damaged_lines == 0);  // the cut last line is the crash's, not damage
        CHECK(r.targets == 5);
        CHECK(r.final_orders == 2);
        CHECK(r.no_result == 3);
        CHECK(r.open_intent_count == 1);
        REQUIRE(r.open_intents.size() == 1);
        CHECK(r.open_intents[0].seq == 2);
        CHECK(r.open_intents[0].order_id == "91000002");
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);

        // The rebuilt files: one record per order with a result, the action's columns.
        CHECK(count_lines(slurp(dir / "results.jsonl")) == 2);
        const std::string csv = slurp(dir / "results.csv");
        CHECK(csv.starts_with("seq,order,target,action,outcome,"));
        CHECK(csv.find(",status,endtime_before,eaqid,") != std::string::npos);
        CHECK(csv.find("91000001") != std::string::npos);
        const json::object s = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(s.at("complete").as_bool() == false);
        CHECK(s.at("stop_reason").as_string() == "died");
        CHECK(s.at("orders").to_number<int>() == 2);
        CHECK(s.at("no_result").to_number<int>() == 3);
        CHECK(s.at("job").as_string() == "renew");

        const std::string text = rcbatch::jobs::report_text(r);
        CAPTURE(text);
        CHECK(text.find("rebuilt results.jsonl, results.csv and summary.json") !=
              std::string::npos);
        CHECK(text.find("open intents (1)") != std::string::npos);
        CHECK(text.ends_with("continue it with: rcbatch run JOB.toml --resume " + dir.string() +
                             "\n"));

        // A second report finds the summary it wrote and changes nothing.
        const std::string summary_before = slurp(dir / "summary.json");
        const auto again = read_run_folder(dir);
        CHECK_FALSE(again.rebuilt);
        CHECK(again.state == RunState::died);
        CHECK(again.no_result == 3);
        CHECK(slurp(dir / "summary.json") == summary_before);
        CHECK(rcbatch::jobs::report_text(again).find("--resume " + dir.string()) !=
              std::string::npos);
    }

    TEST_CASE("a run whose job lock is held is running: nothing is rebuilt") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(2), intent(0), result(0, "ok")});
        std::string holder;
        auto lock = rcbatch::engine::JobLock::try_acquire(dir.parent_path(), holder);
        REQUIRE(lock.has_value());
        // flock locks belong to the open file: a second open in this process conflicts too.
        const auto r = read_run_folder(dir);
        CHECK(r.state == RunState::running);
        CHECK_FALSE(r.rebuilt);
        CHECK_FALSE(fs::exists(dir / "summary.json"));
        CHECK_FALSE(fs::exists(dir / "results.csv"));
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);
        CHECK(rcbatch::jobs::report_text(r).find("holds its lock") != std::string::npos);
    }

    TEST_CASE("the lock names its run: that run is running, an older one of the job died") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl",
              {header(2, "backup.renew", "0123abcd"), intent(0), result(0, "ok")});
        std::string holder;
        auto lock = rcbatch::engine::JobLock::try_acquire(dir.parent_path(), holder);
        REQUIRE(lock.has_value());
        // This run, resumed: running.
        REQUIRE(lock->name_run("0123abcd"));
        CHECK(read_run_folder(dir).state == RunState::running);
        // A newer run of the job holds the lock: this one died, its reports wait for the lock.
        lock.reset();
        lock = rcbatch::engine::JobLock::try_acquire(dir.parent_path(), holder);
        REQUIRE(lock.has_value());
        REQUIRE(lock->name_run("fedc9876"));
        const auto r = read_run_folder(dir);
        CHECK(r.state == RunState::died);
        CHECK(r.stop_reason == "died");
        CHECK_FALSE(r.rebuilt);
        CHECK_FALSE(fs::exists(dir / "summary.json"));
        const std::string text = rcbatch::jobs::report_text(r);
        CAPTURE(text);
        CHECK(text.find("another run of job 'renew' holds its lock (pid ") != std::string::npos);
        CHECK(text.find(" run fedc9876)") != std::string::npos);
        CHECK(text.find("--resume " + dir.string()) != std::string::npos);
        // A lock that names no run (a holder from before run ids): running, as before.
        lock.reset();
        lock = rcbatch::engine::JobLock::try_acquire(dir.parent_path(), holder);
        CHECK(read_run_folder(dir).state == RunState::running);
    }

    TEST_CASE("without rebuild a died run is reported and left as it is") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(2), intent(0), result(0, "ok")});
        const auto r = read_run_folder(
            dir, ReportOptions{.failure_limit = 50, .rebuild = false, .state_dir = {}});
        CHECK(r.state == RunState::died);
        CHECK_FALSE(r.rebuilt);
        CHECK_FALSE(fs::exists(dir / "summary.json"));
    }

    TEST_CASE("a resumed run: sessions, and the later final result wins") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        const std::string cut = intent(1).substr(0, 20);  // the first session died writing it
        write(dir / "journal.jsonl", {header(3), intent(0), result(0, "ok"), result(2, "cancelled"),
                                      cut, resume(), intent(1), result(1, "ok"), result(2, "ok")});
        write(dir / "summary.json", {summary("none")});
        const auto r = read_run_folder(dir);
        CHECK(r.sessions == 2);
        CHECK(r.damaged_lines == 0);
        CHECK(r.state == RunState::finished);
        CHECK(r.tally.count(Outcome::ok) == 3);
        CHECK(r.tally.count(Outcome::cancelled) == 0);
        CHECK(r.tally.orders() == 3);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::ok);
        CHECK(rcbatch::jobs::report_text(r).find("resumed 1 time") != std::string::npos);
    }

    TEST_CASE("an interrupted run with a summary is stopped, resumable, and not rebuilt") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "journal.jsonl", {header(3), intent(0), result(0, "ok"), result(1, "not_run"),
                                      result(2, "cancelled")});
        write(dir / "summary.json", {summary("interrupted")});
        const auto r = read_run_folder(dir);
        CHECK(r.state == RunState::stopped);
        CHECK_FALSE(r.rebuilt);
        CHECK(r.no_result == 2);
        CHECK(r.tally.failed() == 2);  // not_run and cancelled count as failed, as in summary.json
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);
        const json::object j = rcbatch::jobs::report_json(r);
        CHECK(j.at("resume") == json::value("rcbatch run JOB.toml --resume " + dir.string()));
        CHECK(j.at("state").as_string() == "stopped");
    }

    TEST_CASE("a plan folder: plan.jsonl and summary.json, no journal, nothing written") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "targets.jsonl", {"{}", "{}"});
        write(dir / "plan.jsonl",
              {json::serialize(record(0, "ok")), json::serialize(record(1, "skipped"))});
        write(dir / "summary.json", {summary("none", true)});
        const auto r = read_run_folder(dir);
        CHECK(r.kind == FolderKind::plan);
        CHECK(r.state == RunState::finished);
        CHECK(r.targets == 2);
        CHECK(r.tally.count(Outcome::skipped) == 1);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::ok);
        CHECK_FALSE(fs::exists(dir / "results.jsonl"));
        CHECK(rcbatch::jobs::report_text(r).find(", a plan") != std::string::npos);
    }

    TEST_CASE("a listing folder: results.jsonl and summary.json, no journal, no targets") {
        TempDir tmp{"rcbatch-run-folder"};
        const fs::path dir = run_dir(tmp);
        write(dir / "results.jsonl",
              {json::serialize(record(0, "ok")), json::serialize(record(1, "ok")),
               json::serialize(record(2, "api_error", "no such plan"))});
        write(dir / "summary.json", {summary("none")});
        const auto r = read_run_folder(dir);
        CHECK(r.kind == FolderKind::listing);
        CHECK(r.state == RunState::finished);
        CHECK(r.targets == 3);
        CHECK(r.tally.failed() == 1);
        CHECK(rcbatch::jobs::report_exit_code(r) == ExitCode::orders_failed);

        SUBCASE(
            "one that died: reported from its records, nothing rebuilt, its last line cut short") {
            fs::remove(dir / "summary.json");
            std::ofstream(dir / "results.jsonl", std::ios::app) << R"({"seq":3,"ord)";
            const auto died = read_run_folder(dir);
            CHECK(died.state == RunState::died);
            CHECK(died.damaged_lines == 0);
            CHECK(died.tally.orders() == 3);
            CHECK_FALSE(died.rebuilt);
            CHECK_FALSE(fs::exists(dir / "summary.json"));
            const std::string text = rcbatch::jobs::report_text(died);
            CHECK(text.find("a listing cannot be resumed") != std::string::npos);
        }
    }
}

}  // namespace run_folder_test
