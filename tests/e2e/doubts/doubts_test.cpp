// Doubts are loud (issue #19, case 2): an order left in doubt makes the run exit 1, is named
// with the command that settles it even under --quiet, is an event in JSON logs and a gauge in
// the metrics file (whose last success does not move); `rcbatch settle` closes doubts later
// from the API's evidence; `rcbatch report --failed-ids` writes the failed orders as a target
// file and leaves out what may have been applied.
#include "doubts_fixture.hpp"

#include <thread>

namespace doubts_test {

using namespace rcbatch::test;
using namespace std::chrono_literals;
namespace json = boost::json;

TEST_SUITE("e2e: doubts") {
    TEST_CASE("a dead run's doubt under --quiet: exit 1, named with its settle command, metrics") {
        DoubtsSetup s;
        const auto ids = active_us_orders(2);
        REQUIRE(ids.size() == 2);
        // A run of another job killed after sending a renew of ids[0]; its folder since removed,
        // so nothing shows what the order looked like before: the evidence cannot decide.
        const KilledRun dead = s.killed("old-nightly", {ids[0]}, unix_now() - 60);
        fs::remove_all(dead.dir);
        const fs::path job = s.job("nightly", ids);
        const fs::path metrics = s.tmp.path / "rcbatch.prom";
        const auto r = s.run(job, {"--quiet", "--metrics-file", metrics.string()});
        CAPTURE(r.err);
        CHECK(r.exit_code == 1);  // was 0, silent: the order skipped "in doubt", never renewed
        const fs::path run = s.last_run("nightly");
        CHECK(r.err.find("order " + std::to_string(ids[0]) + " unknown: job old-nightly (" +
                         dead.dir.string() + "), which died, may have sent a backup.renew") !=
              std::string::npos);
        CHECK(r.err.find("rcbatch run: 1 order is in doubt (may have been applied; not sent "
                         "again): settle them from the API's records with: RCBATCH_STATE_DIR=" +
                         fs::absolute(s.state).lexically_normal().string() +
                         " rcbatch settle --config " + fs::absolute(s.profile).string() + " " +
                         fs::canonical(run).string()) != std::string::npos);
        const std::string prom = slurp(metrics);
        CHECK(prom.find("rcbatch_last_run_orders_in_doubt{job=\"nightly\"} 1\n") !=
              std::string::npos);
        CHECK(prom.find("rcbatch_last_run_success_timestamp_seconds{job=\"nightly\"}") ==
              std::string::npos);
        CHECK(s.applied(ids[0]) == 0);
        CHECK(s.applied(ids[1]) == 1);

        // The doubt stays loud in every later run (the ledger holds it as unknown): in JSON, an
        // event of its own.
        const auto again = s.run(job, {"--log-format", "json"});
        CHECK(again.exit_code == 1);
        bool event = false;
        std::istringstream lines(again.err);
        for (std::string line; std::getline(lines, line);) {
            const auto e = json::parse(line).as_object();
            if (text_of(e.at("event")) != "doubt") continue;
            event = true;
            CHECK(e.at("orders").to_number<int>() == 1);
            CHECK(text_of(e.at("order_ids").as_array().at(0)) == std::to_string(ids[0]));
            CHECK(text_of(e.at("command")).find("rcbatch settle") != std::string::npos);
        }
        CHECK(event);
        CHECK(s.applied(ids[0]) == 0);
        CHECK(s.applied(ids[1]) == 1);
    }

    TEST_CASE("rcbatch settle: answers lost, applied later: unknown, then settled; exit 0") {
        // Every renew is applied a second late with its answer lost, and the action log is not
        // read: the run cannot tell, the order's end time can tell later.
        DoubtsSetup s({"--faults", "apply-late=1,apply-delay=1s"}, "action-log = false\n");
        const auto ids = active_us_orders(2);
        REQUIRE(ids.size() == 2);
        const auto first = s.run(s.job("late", ids), {"--quiet"});
        CAPTURE(first.err);
        REQUIRE(first.exit_code == 1);
        const fs::path run = s.last_run("late");
        CHECK(slurp(run / "summary.json").find("\"unknown\":2") != std::string::npos);

        const auto sandboxed = s.rcbatch({"settle", run.string(), "--sandbox"});
        CHECK(sandboxed.exit_code == 2);
        CHECK(sandboxed.err.find("--sandbox starts a new sandbox each time") != std::string::npos);

        for (int wait = 0; wait < 100 && (s.applied(ids[0]) == 0 || s.applied(ids[1]) == 0); ++wait)
            std::this_thread::sleep_for(50ms);
        std::this_thread::sleep_for(1500ms);  // past apply-delay: the end times have moved
        const auto before = s.sandbox.api_requests();
        const auto settled =
            s.rcbatch({"settle", run.string() + "/", "--config", s.profile.string()});
        CAPTURE(settled.out);
        CAPTURE(settled.err);
        CHECK(settled.exit_code == 0);
        for (auto id : ids)
            CHECK(settled.out.find("order " + std::to_string(id) + " ok: applied (settled: ") !=
                  std::string::npos);
        CHECK(settled.out.find("rcbatch settle: 2 orders looked up: 2 applied, 0 not applied, 0 "
                               "still unknown") != std::string::npos);
        const auto summary = json::parse(slurp(run / "summary.json")).as_object();
        CHECK(summary.at("outcomes").at("ok").to_number<int>() == 2);
        CHECK(summary.at("outcomes").at("unknown").to_number<int>() == 0);
        CHECK(summary.at("settled").at("applied").to_number<int>() == 2);
        CHECK(slurp(run / "journal.jsonl").find("{\"type\":\"settle\"") != std::string::npos);
        CHECK(s.rcbatch({"report", run.string()}).exit_code == 0);
        // It only read: no renew was sent.
        for (auto id : ids) CHECK(s.applied(id) == 1);
        CHECK(s.sandbox.counters("backup.renew").at(std::to_string(ids[0])).first == 1);
        CHECK(s.sandbox.api_requests() > before);

        const auto nothing_left =
            s.rcbatch({"settle", run.string(), "--config", s.profile.string()});
        CHECK(nothing_left.exit_code == 0);
        CHECK(nothing_left.out.find("0 orders looked up") != std::string::npos);
    }

    TEST_CASE("report --failed-ids: a target file of the failed orders, with their own columns") {
        DoubtsSetup s({"--faults", "apply-late=1,apply-delay=60s"}, "action-log = false\n");
        const auto ids = active_us_orders(1);
        REQUIRE(ids.size() == 1);
        const fs::path targets = s.tmp.path / "orders.csv";
        std::ofstream(targets) << "order-id,months,customer\n99999999,3,\"Acme, Inc.\"\n"
                               << ids[0] << ",2,Beta\n";
        const fs::path job = s.tmp.path / "mixed.toml";
        std::ofstream(job) << "name = \"mixed\"\naction = \"backup.renew\"\nregion = \"us\"\n"
                           << "[targets]\nfile = \"" << targets.string()
                           << "\"\nkeep-columns = [\"customer\"]\n"
                           << "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
                           << "auto-renew = false\n";
        const auto r = s.run(job, {"--quiet"});
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 1);
        const fs::path run = s.last_run("mixed");

        const auto failed = s.rcbatch({"report", run.string(), "--failed-ids"});
        CAPTURE(failed.err);
        CHECK(failed.exit_code == 0);
        // The unknown one (its renew may have been applied) is not in it.
        CHECK(failed.out == "order-id,months,customer\n99999999,3,\"Acme, Inc.\"\n");
        CHECK(failed.err.find("1 unknown orders left out: they may have been applied; settle "
                              "them first with: rcbatch settle " +
                              fs::canonical(run).string()) != std::string::npos);

        // Ready to be a job's target file.
        std::ofstream(s.tmp.path / "failed.csv") << failed.out;
        std::ofstream(s.tmp.path / "again.toml")
            << "name = \"again\"\naction = \"backup.renew\"\nregion = \"us\"\n"
            << "[targets]\nfile = \"failed.csv\"\nkeep-columns = [\"customer\"]\n"
            << "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n";
        const auto valid = s.rcbatch(
            {"validate", (s.tmp.path / "again.toml").string(), "--config", s.profile.string()});
        CAPTURE(valid.err);
        CHECK(valid.exit_code == 0);
        CHECK(s.rcbatch({"report", run.string(), "--failed-ids", "--json"}).exit_code == 2);
    }
}

}  // namespace doubts_test
