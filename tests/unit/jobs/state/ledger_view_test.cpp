// The ledger as `rcbatch serve` reads it (issue 24): read-only beside a writer, filters, keyset
// paging without duplicates or gaps, a run's state from its job's lock, charged totals, hostile
// outcome counts, and query plans that walk the indexes.
#include "jobs/state/ledger_view.hpp"

#include "engine/store/job_lock.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_schema.hpp"
#include "jobs/state/sqlite.hpp"
#include "jobs/state/state_dir.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace ledger_view_test {

using namespace rcbatch::jobs;
using rcbatch::test::TempDir;

constexpr const char* account = "test/host/1";
constexpr const char* action = "backup.renew";

// A ledger in a temporary state directory, written through Ledger as a run writes it.
struct Fixture {
    TempDir dir{"ledger-view"};
    std::unique_ptr<Ledger> ledger = std::make_unique<Ledger>(dir.path);

    std::int64_t run(const std::string& job, std::int64_t started, std::int64_t finished = 0,
                     const std::string& stop = "none", const std::string& outcomes = "{}") {
        static int n = 0;
        RunEntry r;
        r.uid = "uid" + std::to_string(++n);
        r.folder = "/runs/" + job + "/" + std::to_string(n);
        r.job = job;
        r.job_file = "/jobs/" + job + ".toml";
        r.account = account;
        r.action = action;
        r.kind = "run";
        r.started = started;
        const std::int64_t id = ledger->begin_run(r);
        if (finished != 0) ledger->finish_run(id, finished, stop, outcomes);
        return id;
    }

    // A change of `order` given as `target`, closed with `outcome` ("" leaves it open).
    void change(std::int64_t run, const std::string& order, const std::string& target,
                std::int64_t at, const std::string& outcome = "ok", const std::string& amount = "",
                const std::string& currency = "USD") {
        ClaimRequest claim{run, account, order, action, at, 0, true, target};
        REQUIRE(ledger->claim(claim).granted);
        if (outcome.empty()) return;
        ledger->settle(run, order, action, outcome, "renewed", "eaq" + order, at + 1);
        if (!amount.empty())
            ledger->record_money(run, order, action, {amount, currency, "inv1", "12 months"});
    }
};

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

template <class Row>
std::vector<std::int64_t> ids(const std::vector<Row>& rows) {
    std::vector<std::int64_t> out;
    for (const Row& r : rows) {
        if constexpr (std::is_same_v<Row, RunRow>)
            out.push_back(r.run.id);
        else
            out.push_back(r.id);
    }
    return out;
}

// Every page of `next(before_id)`, walked to the end.
template <class Row, class Next>
std::vector<std::int64_t> walk(Next next) {
    std::vector<std::int64_t> all;
    std::int64_t before = 0;
    for (int pages = 0; pages < 100; ++pages) {
        const Page<Row> page = next(before);
        for (std::int64_t id : ids(page.rows)) all.push_back(id);
        if (!page.more) return all;
        REQUIRE_FALSE(page.rows.empty());
        before = all.back();
    }
    FAIL("paging never ended");
    return all;
}

TEST_SUITE("ledger view: pure decisions") {
    TEST_CASE("a run's state from its row and its job's lock") {
        RunEntry r;
        CHECK(run_state(r, true) == RunState::running);
        CHECK(run_state(r, false) == RunState::died);
        r.finished = 5;
        CHECK(run_state(r, false) == RunState::finished);
        r.stop_reason = "none";
        CHECK(run_state(r, true) == RunState::finished);
        r.stop_reason = "interrupted";
        CHECK(run_state(r, false) == RunState::stopped);
        for (RunState s :
             {RunState::running, RunState::finished, RunState::stopped, RunState::died})
            CHECK(run_state_named(to_string(s)) == s);
        CHECK_FALSE(run_state_named("Running").has_value());
    }

    TEST_CASE("outcome counts of a hostile summary: only counts, bounded") {
        using Counts = std::map<std::string, std::int64_t>;
        CHECK(outcome_counts(R"({"ok":3,"failed":1})") == Counts{{"ok", 3}, {"failed", 1}});
        CHECK(outcome_counts(R"({"ok":3,"bad":-1,"x":"7","y":1.5,"z":null,"w":[1]})") ==
              Counts{{"ok", 3}});
        CHECK(outcome_counts("").empty());
        CHECK(outcome_counts("{not json").empty());
        CHECK(outcome_counts("[1,2]").empty());
        CHECK(outcome_counts(R"({"ok":18446744073709551615})").empty());
        CHECK(outcome_counts(std::string(100, '[') + std::string(100, ']')).empty());
        CHECK(outcome_counts("{\"" + std::string(65, 'a') + "\":1}").empty());
        std::string many = "{";
        for (int i = 0; i < 100; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
        CHECK(outcome_counts(many + "}").size() == 64);
        CHECK(outcome_counts("{\"ok\":1," + std::string(70'000, ' ') + "\"x\":1}").empty());
    }

    TEST_CASE("the end of a prefix's range, bytewise") {
        CHECK(prefix_end("renew") == "renex");
        CHECK(prefix_end("a\xff") == "b");
        CHECK(prefix_end("\xff\xff").empty());
        CHECK(prefix_end("").empty());
    }
}

TEST_SUITE("ledger view: read-only") {
    TEST_CASE("a missing ledger is an error naming it, and nothing is created") {
        TempDir dir("ledger-view-missing");
        try {
            LedgerView view(dir.path);
            FAIL("opened a ledger that does not exist");
        } catch (const SqliteError& e) {
            CHECK(std::string(e.what()).find((dir.path / "ledger.sqlite").string()) !=
                  std::string::npos);
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
        }
        CHECK(std::filesystem::is_empty(dir.path));
    }

    TEST_CASE("an older ledger is refused with what updates it") {
        TempDir dir("ledger-view-old");
        {
            SqliteDb db(dir.path / "ledger.sqlite", 1000);
            db.exec("PRAGMA user_version = 3");
        }
        CHECK_THROWS_WITH_AS(LedgerView(dir.path), doctest::Contains("rcbatch runs"), SqliteError);
    }

    TEST_CASE("reads a ledger no process has open (no -wal or -shm file), leaving it as it was") {
        Fixture f;
        const std::int64_t run = f.run("nightly", 1000, 1100);
        f.change(run, "42", "example.in", 1001, "ok", "-15.000");
        f.ledger.reset();
        REQUIRE_FALSE(std::filesystem::exists(f.dir.path / "ledger.sqlite-wal"));
        const std::string before = file_text(f.dir.path / "ledger.sqlite");
        {
            LedgerView view(f.dir.path);
            CHECK(view.run(run)->charged.at("USD") == 15'000);
            CHECK(view.order_changes("42", 0, 10).rows.size() == 1);
        }
        CHECK(file_text(f.dir.path / "ledger.sqlite") == before);
    }

    TEST_CASE("reads while a writer holds a write transaction, and never writes") {
        Fixture f;
        const std::int64_t done = f.run("nightly", 1000, 1100);
        f.change(done, "42", "example.in", 1001, "ok", "-15.000");
        f.ledger.reset();  // its connection closed: the WAL checkpointed into the file

        SqliteDb writer(f.dir.path / "ledger.sqlite", 30'000);
        writer.exec("PRAGMA journal_mode = WAL");
        SqliteTransaction open(writer);
        writer.exec(
            "INSERT INTO runs (folder, job, job_file, account, action, kind, started) VALUES "
            "('/runs/x', 'uncommitted', '/x', 'a', 'b', 'run', 2000)");
        const std::string main_before = file_text(f.dir.path / "ledger.sqlite");
        const std::string wal_before = file_text(f.dir.path / "ledger.sqlite-wal");

        const auto start = std::chrono::steady_clock::now();
        LedgerView view(f.dir.path, 0);  // no busy wait: it must not need one
        const Page<RunRow> runs = view.runs({});
        REQUIRE(runs.rows.size() == 1);  // the writer's row is not committed
        CHECK(runs.rows[0].run.job == "nightly");
        CHECK(view.run(done)->charged.at("USD") == 15'000);
        CHECK(view.order_changes("42", 0, 10).rows.size() == 1);
        CHECK(view.target_changes("example.in", 0, 10).rows.size() == 1);
        CHECK(view.run_changes(done, 0, 10).rows.size() == 1);
        CHECK(view.jobs_named("n", 10) == std::vector<std::string>{"nightly"});
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

        CHECK(file_text(f.dir.path / "ledger.sqlite") == main_before);
        CHECK(file_text(f.dir.path / "ledger.sqlite-wal") == wal_before);
        open.commit();
        CHECK(view.runs({}).rows.size() == 2);  // a later read sees the commit
    }
}

TEST_SUITE("ledger view: runs") {
    TEST_CASE("pages newest first, without duplicates or gaps, under each filter") {
        Fixture f;
        std::vector<std::int64_t> all, nightly;
        for (int i = 0; i < 23; ++i) {
            // Two runs share each start second: the order breaks ties by id.
            const std::string job = i % 3 == 0 ? "nightly" : "weekly";
            const std::int64_t id = f.run(job, 1000 + i / 2 * 10, 1000 + i / 2 * 10 + 5);
            all.insert(all.begin(), id);
            if (job == "nightly") nightly.insert(nightly.begin(), id);
        }
        LedgerView view(f.dir.path);
        for (int limit : {1, 5, 23, 50}) {
            CAPTURE(limit);
            CHECK(walk<RunRow>([&](std::int64_t before) {
                      return view.runs({.before_id = before, .limit = limit});
                  }) == all);
            CHECK(walk<RunRow>([&](std::int64_t before) {
                      return view.runs({.job = "nightly", .before_id = before, .limit = limit});
                  }) == nightly);
        }
        CHECK(view.runs({.limit = 23}).more == false);
        CHECK(view.runs({.limit = 22}).more == true);
        CHECK(view.runs({.before_id = 999'999}).rows.empty());  // a cursor naming no run
        // Started 1050 <= s < 1080: runs 10..15.
        const Page<RunRow> range = view.runs({.started_from = 1050, .started_to = 1080});
        CHECK(ids(range.rows) == std::vector<std::int64_t>(all.begin() + 7, all.begin() + 13));
        CHECK(view.runs({.job = "nobody"}).rows.empty());
    }

    TEST_CASE("states: running and died by the job's lock, stopped by the stop reason") {
        Fixture f;
        const std::int64_t finished = f.run("a", 100, 160, "none", R"({"ok":2})");
        const std::int64_t stopped = f.run("b", 200, 230, "interrupted", R"({"ok":1})");
        const std::int64_t running = f.run("c", 300);
        const std::int64_t died = f.run("d", 400);
        std::string holder;
        auto lock =
            rcbatch::engine::JobLock::try_acquire(job_lock_dir(f.dir.path, account, "c"), holder);
        REQUIRE(lock.has_value());
        LedgerView view(f.dir.path);
        const auto only = [&](RunState s) { return ids(view.runs({.state = s}).rows); };
        CHECK(only(RunState::finished) == std::vector<std::int64_t>{finished});
        CHECK(only(RunState::stopped) == std::vector<std::int64_t>{stopped});
        CHECK(only(RunState::running) == std::vector<std::int64_t>{running});
        CHECK(only(RunState::died) == std::vector<std::int64_t>{died});
        const Page<RunRow> page = view.runs({});
        REQUIRE(page.rows.size() == 4);
        CHECK(page.rows[0].state == RunState::died);
        CHECK(page.rows[1].state == RunState::running);
        CHECK(page.rows[2].state == RunState::stopped);
        CHECK(page.rows[3].state == RunState::finished);
        CHECK(page.rows[3].wall_seconds == 60);
        CHECK(page.rows[3].outcomes == std::map<std::string, std::int64_t>{{"ok", 2}});
        CHECK(page.rows[1].wall_seconds == 0);
        lock.reset();  // the run ends without finishing: it died
        CHECK(view.run(running)->state == RunState::died);
        // Paged through the lock filter: one died run a page.
        CHECK(walk<RunRow>([&](std::int64_t before) {
                  return view.runs({.state = RunState::died, .before_id = before, .limit = 1});
              }) == std::vector<std::int64_t>{died, running});
    }

    TEST_CASE("an older unfinished run of a job died, though a newer run of it holds the lock") {
        Fixture f;
        const std::int64_t older = f.run("c", 100);
        const std::int64_t newer = f.run("c", 300);
        std::string holder;
        auto lock =
            rcbatch::engine::JobLock::try_acquire(job_lock_dir(f.dir.path, account, "c"), holder);
        REQUIRE(lock.has_value());
        LedgerView view(f.dir.path);
        CHECK(view.run(older)->state == RunState::died);
        CHECK(view.run(newer)->state == RunState::running);
        CHECK(ids(view.runs({.state = RunState::running}).rows) ==
              std::vector<std::int64_t>{newer});
        CHECK(ids(view.runs({.state = RunState::died}).rows) == std::vector<std::int64_t>{older});
    }

    TEST_CASE("a resumed older run holds the lock it names: running, whatever ran after it") {
        Fixture f;
        const std::int64_t older = f.run("c", 100);
        const std::int64_t newer = f.run("c", 300, 360);
        const std::int64_t newest_unfinished = f.run("c", 400);
        std::string holder;
        auto lock =
            rcbatch::engine::JobLock::try_acquire(job_lock_dir(f.dir.path, account, "c"), holder);
        REQUIRE(lock.has_value());
        const auto runs = f.ledger->runs(std::string("c"), 10);  // newest first
        REQUIRE(runs.size() == 3);
        REQUIRE(runs.back().id == older);
        REQUIRE(lock->name_run(runs.back().uid));
        LedgerView view(f.dir.path);
        CHECK(view.run(older)->state == RunState::running);
        CHECK(view.run(newer)->state == RunState::finished);
        CHECK(view.run(newest_unfinished)->state == RunState::died);
        CHECK(ids(view.runs({.state = RunState::running}).rows) ==
              std::vector<std::int64_t>{older});
    }

    TEST_CASE("a job's last success: the newest finished run with no failed order, not stopped") {
        Fixture f;
        f.run("nightly", 100, 110, "none", R"({"ok":3,"skipped":1})");
        f.run("nightly", 200, 210, "none", R"({"ok":2})");
        f.run("nightly", 300, 310, "none", R"({"ok":2,"api_error":1})");
        f.run("nightly", 400, 410, "interrupted", R"({"ok":1})");
        f.run("nightly", 500, 510, "none", R"({"ok":1,"strange":1})");  // a name not known
        f.run("nightly", 600);                                          // still going
        f.run("weekly", 700, 710, "none", R"({"unknown":1})");
        LedgerView view(f.dir.path);
        CHECK(view.last_success("nightly", 20) == 210);
        CHECK(view.last_success("nightly", 3) == std::nullopt);  // 510, 410, 310 looked at
        CHECK(view.last_success("weekly", 20) == std::nullopt);
        CHECK(view.last_success("nobody", 20) == std::nullopt);
    }

    TEST_CASE("charged totals: ok changes only, a debit positive, a refund negative") {
        Fixture f;
        const std::int64_t run = f.run("a", 100, 200, "none", "{not json at all");
        f.change(run, "1", "1", 101, "ok", "-15.000");
        f.change(run, "2", "two.in", 102, "ok", "-2.5");
        f.change(run, "3", "3", 103, "ok", "5.000");  // a refund
        f.change(run, "4", "4", 104, "failed", "-100.000");
        f.change(run, "5", "5", 105, "ok", "-7.000", "INR");
        f.change(run, "6", "6", 106, "");  // still open
        f.change(run, "7", "7", 107, "ok", "garbage");
        const std::optional<RunRow> row = LedgerView(f.dir.path).run(run);
        REQUIRE(row.has_value());
        CHECK(row->charged == std::map<std::string, std::int64_t>{{"USD", 12'500}, {"INR", 7'000}});
        CHECK(row->outcomes.empty());
        CHECK(row->state == RunState::finished);
        CHECK_FALSE(LedgerView(f.dir.path).run(run + 1).has_value());
    }
}

TEST_SUITE("ledger view: changes and search") {
    TEST_CASE("an order's, a domain's and a run's changes, paged newest first") {
        Fixture f;
        std::vector<std::int64_t> runs;
        for (int i = 0; i < 7; ++i) runs.push_back(f.run(i % 2 ? "odd" : "even", 100 + i, 0));
        // Order 42, given as its id or as its domain name, once in each run; other orders too.
        for (int i = 0; i < 7; ++i) {
            f.change(runs[i], "42", i % 2 ? "42" : "example.in", 100 + i, "ok", "-1.000");
            f.change(runs[i], "43", "other.in", 100 + i, "failed");
        }
        for (int i = 0; i < 12; ++i) f.change(runs[0], std::to_string(1000 + i), "x.in", 200);
        LedgerView view(f.dir.path);

        const auto of_order = walk<ChangeEntry>(
            [&](std::int64_t before) { return view.order_changes("42", before, 3); });
        REQUIRE(of_order.size() == 7);
        CHECK(std::set<std::int64_t>(of_order.begin(), of_order.end()).size() == 7);
        CHECK(std::is_sorted(of_order.rbegin(), of_order.rend()));
        const Page<ChangeEntry> first = view.order_changes("42", 0, 1);
        REQUIRE(first.rows.size() == 1);
        CHECK(first.rows[0].run == runs[6]);
        CHECK(first.rows[0].job == "even");
        CHECK(first.rows[0].folder.starts_with("/runs/even/"));
        CHECK(first.rows[0].target == "example.in");
        CHECK(first.rows[0].outcome == "ok");
        CHECK(first.rows[0].amount == "-1.000");

        CHECK(walk<ChangeEntry>([&](std::int64_t before) {
                  return view.target_changes("example.in", before, 2);
              }).size() == 4);
        CHECK(view.target_changes("", 0, 10).rows.empty());
        CHECK(view.order_changes("nope", 0, 10).rows.empty());

        const auto of_run = walk<ChangeEntry>(
            [&](std::int64_t before) { return view.run_changes(runs[0], before, 5); });
        CHECK(of_run.size() == 14);
        CHECK(std::set<std::int64_t>(of_run.begin(), of_run.end()).size() == 14);
        CHECK(std::is_sorted(of_run.rbegin(), of_run.rend()));
        CHECK(view.run_changes(runs[0], 0, 0).rows.size() == 1);  // a limit is at least 1
    }

    TEST_CASE("job names equal to or starting with the text; % and _ are plain") {
        Fixture f;
        for (const char* job : {"renew-backups", "renew", "renewals", "a_b", "axb", "a%", "zzz"})
            for (int i = 0; i < 3; ++i) f.run(job, 100 + i, 0);
        LedgerView view(f.dir.path);
        CHECK(view.jobs_named("renew", 10) ==
              std::vector<std::string>{"renew", "renew-backups", "renewals"});
        CHECK(view.jobs_named("renew", 2) == std::vector<std::string>{"renew", "renew-backups"});
        CHECK(view.jobs_named("a_", 10) == std::vector<std::string>{"a_b"});
        CHECK(view.jobs_named("a%", 10) == std::vector<std::string>{"a%"});
        CHECK(view.jobs_named("", 100).size() == 7);
        CHECK(view.jobs_named("q", 10).empty());
    }
}

TEST_SUITE("ledger view: query plans") {
    // The plan of `sql` as EXPLAIN QUERY PLAN writes it, one step a line.
    std::string plan(SqliteDb & db, const std::string& sql) {
        auto explain = db.prepare("EXPLAIN QUERY PLAN " + sql);
        std::string out;
        while (explain.step()) out += explain.text(3) + "\n";
        return out;
    }

    TEST_CASE("every page's query searches an index; none scans the changes") {
        Fixture f;
        f.run("a", 1, 0);
        f.ledger.reset();
        SqliteDb db(f.dir.path / "ledger.sqlite", 1000);  // no ANALYZE: as a real ledger is
        const auto runs_plan = [&](const RunFilter& filter) {
            return plan(db, runs_query(filter, 5).sql);
        };
        struct Case {
            std::string name, plan, index;
        };
        const std::vector<Case> cases = {
            {"runs", runs_plan({}), "runs_by_start"},
            {"runs deep", runs_plan({.before_id = 9}), "runs_by_start"},
            {"runs by job", runs_plan({.job = "a", .before_id = 9}), "runs_by_job"},
            {"runs by date", runs_plan({.started_from = 1, .started_to = 2}), "runs_by_start"},
            {"runs died", runs_plan({.state = RunState::died, .before_id = 9}), "runs_unfinished"},
            {"runs stopped", runs_plan({.state = RunState::stopped}), "runs_by_start"},
            {"order", plan(db, changes_query(ChangesBy::order)), "changes_by_order_id"},
            {"target", plan(db, changes_query(ChangesBy::target)), "changes_by_target"},
            {"run's changes", plan(db, changes_query(ChangesBy::run)), "changes_by_run"},
            {"charged", plan(db, charged_query), "changes_charged"},
            {"job from", plan(db, job_from_query(true)), "runs_by_job"},
            {"job after", plan(db, job_after_query(false)), "runs_by_job"},
            // Ledger::history's query.
            {"history",
             plan(db,
                  "SELECT c.id FROM changes c JOIN runs r ON r.id = c.run WHERE c.order_id = ?"
                  " ORDER BY c.intent_at DESC, c.id DESC"),
             "changes_by_order_id"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CAPTURE(c.plan);
            CHECK((c.plan.find("INDEX " + c.index + " ") != std::string::npos ||
                   c.plan.find("INDEX " + c.index + "\n") != std::string::npos));
            CHECK(c.plan.find("SCAN c\n") == std::string::npos);
            CHECK(c.plan.find("SCAN changes") == std::string::npos);
            CHECK(c.plan.find("SCAN r\n") == std::string::npos);
            if (c.name == "charged") CHECK(c.plan.find("COVERING INDEX") != std::string::npos);
        }
    }
}

}  // namespace ledger_view_test
