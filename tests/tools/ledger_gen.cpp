// A ledger of any size for `rcbatch serve`'s benchmark (issue 24), and the timing of the
// queries its pages make (scripts/bench, section L).
//
//   rcbatch_ledger_gen STATE_DIR RUNS CHANGES [BIG]  makes STATE_DIR/ledger.sqlite (a new one);
//                                                the run in the middle has BIG changes (10,000)
//   rcbatch_ledger_gen --bench STATE_DIR [ROUNDS] times each page's LedgerView query ROUNDS
//                                                times: one line each, median and max ms
//
// The ledger is made with the real schema (Ledger creates it) and plausible rows: 50 jobs on 5
// accounts, runs over a year (a few stopped, died or still open, some with hostile outcome
// text), changes spread evenly over the runs (the run in the middle has BIG of them) on a pool of
// orders each given as its id or as its domain name (d123456.in), most ok with an amount.
// Rows go in with the indexes dropped, in big transactions, and the indexes are made again
// from the schema's own SQL at the end: a sort each, not 10 million random inserts.

#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_view.hpp"
#include "jobs/state/sqlite.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace rcbatch::jobs;
using Clock = std::chrono::steady_clock;

constexpr int job_count = 50;
constexpr int account_count = 5;
constexpr std::int64_t default_big_run = 10'000;
constexpr std::int64_t year = 365 * 86'400;
constexpr std::int64_t first_start = 1'767'225'600;  // 2026-01-01
constexpr std::int64_t orders_pool_min = 1'000;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string job_name(std::int64_t k) {
    static const char* kinds[] = {"renew-backups", "renew-domains", "privacy", "theft-lock",
                                  "modify-ns"};
    return std::string(kinds[k % 5]) + "-" + std::to_string(k);
}

std::string account_key(std::int64_t k) { return "live/httpapi.com/" + std::to_string(7000 + k); }

const char* currency_of(std::int64_t account) {
    static const char* currencies[] = {"USD", "USD", "INR", "EUR", "USD"};
    return currencies[account % account_count];
}

// The run in the middle: the one with big_run_changes changes (--bench reads it too).
std::int64_t big_run(std::int64_t runs) { return runs / 2 + 1; }

int generate(const std::filesystem::path& state_dir, std::int64_t runs, std::int64_t changes,
             std::int64_t big_changes) {
    const auto start = Clock::now();
    const std::filesystem::path file = state_dir / Ledger::file_name;
    if (std::filesystem::exists(file)) {
        std::fprintf(stderr, "ledger_gen: %s exists; give a new folder\n", file.c_str());
        return 2;
    }
    { Ledger ledger(state_dir); }  // the real schema, page size and WAL mode
    SqliteDb db(file, 30'000);
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
    std::vector<std::string> indexes;
    {
        auto list = db.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
        std::vector<std::string> names;
        while (list.step()) {
            names.push_back(list.text(0));
            indexes.push_back(list.text(1));
        }
        list.reset();
        for (const std::string& name : names) db.exec("DROP INDEX " + name);
    }

    std::mt19937_64 random(24);
    const auto below = [&](std::int64_t n) {
        return static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(n));
    };
    const std::int64_t orders = std::max(orders_pool_min, changes / 5);
    const std::int64_t big = runs > 1 ? std::min(big_changes, changes) : changes;
    // The other runs share the rest evenly, each pair of them +d and -d about it.
    const std::int64_t rest = changes - big, others = std::max<std::int64_t>(1, runs - 1);
    const auto share = [&](std::int64_t k) { return (k + 1) * rest / others - k * rest / others; };
    std::int64_t jitter = 0;

    auto run_insert = db.prepare(
        "INSERT INTO runs (id, folder, job, job_file, account, action, kind, started, finished,"
        " sessions, stop_reason, outcomes, targets, uid) VALUES (?, ?, ?, ?, ?, ?, 'run', ?, ?, 1,"
        " ?, ?, ?, ?)");
    auto change_insert = db.prepare(
        "INSERT INTO changes (id, run, account, order_id, action, intent_at, outcome, evidence,"
        " eaqid, finished_at, amount, currency, invoice, term, target)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    static const char* actions[] = {"backup.renew", "domain.renew", "domain.privacy",
                                    "domain.theft-protection", "domain.modify-ns"};
    std::int64_t change_id = 0;
    db.exec("BEGIN");
    for (std::int64_t id = 1; id <= runs; ++id) {
        const std::int64_t job = below(job_count);
        const std::int64_t account = job % account_count;
        const std::string action = actions[job % 5];
        const std::int64_t started = first_start + (id - 1) * year / runs + below(60);
        std::int64_t n = big;
        if (id != big_run(runs)) {
            const std::int64_t k = id < big_run(runs) ? id - 1 : id - 2;
            n = share(k);
            if (k % 2 == 0 && k + 1 < others) {
                jitter = below(n / 2 + 1);
                n += jitter;
            } else if (k % 2 == 1) {
                n -= jitter;
            }
        }
        n = std::max<std::int64_t>(0, std::min(n, changes - change_id));
        // The last runs are still open, and one in 200 died: unfinished.
        const bool open = id > runs - 3 || below(200) == 0;
        const std::int64_t wall = 30 + n / 10 + below(600);
        const std::int64_t finished = open ? 0 : started + wall;
        const std::int64_t failed = n / 15;
        std::string stop = open ? "" : below(20) == 0 ? "interrupted" : "none";
        std::string outcomes = open ? ""
                               : below(500) == 0
                                   ? "{\"ok\": 3, garbage"
                                   : "{\"ok\":" + std::to_string(n - failed) +
                                         ",\"failed\":" + std::to_string(failed) + "}";
        run_insert.bind(1, id)
            .bind(2, "/srv/rcbatch/reports/" + job_name(job) + "/" + std::to_string(started))
            .bind(3, job_name(job))
            .bind(4, "/srv/rcbatch/jobs/" + job_name(job) + ".toml")
            .bind(5, account_key(account))
            .bind(6, action)
            .bind(7, started)
            .bind(8, finished)
            .bind(9, stop)
            .bind(10, outcomes)
            .bind(11, n)
            .bind(12, "u" + std::to_string(id * 7919));
        run_insert.run();
        run_insert.reset();
        for (std::int64_t i = 0; i < n; ++i) {
            ++change_id;
            const std::int64_t order = below(orders);
            const std::string order_id = std::to_string(10'000'000 + order);
            const std::int64_t at = started + i * wall / std::max<std::int64_t>(n, 1);
            const bool still_open = open && i + 2 >= n;
            const std::int64_t roll = below(100);
            const char* outcome = still_open  ? nullptr
                                  : roll < 90 ? "ok"
                                  : roll < 97 ? "failed"
                                  : roll < 98 ? "unknown"
                                              : "not_run";
            const bool charged = outcome && std::string(outcome) == "ok";
            change_insert.bind(1, change_id).bind(2, id).bind(3, account_key(account));
            change_insert.bind(4, order_id).bind(5, action).bind(6, at);
            if (outcome)
                change_insert.bind(7, outcome);
            else
                change_insert.bind_null(7);
            change_insert.bind(8, charged ? "renewed until 2027-03-01" : outcome ? "refused" : "");
            change_insert.bind(9, outcome ? std::to_string(500'000'000 + change_id) : "");
            change_insert.bind(10, outcome ? at + 1 : 0);
            change_insert.bind(11, charged ? "-" + std::to_string(5 + order % 40) + ".000" : "");
            change_insert.bind(12, charged ? currency_of(account) : "");
            change_insert.bind(13, charged ? std::to_string(90'000'000 + change_id) : "");
            change_insert.bind(14, charged ? "12 months" : "");
            change_insert.bind(15, order % 5 < 3 ? "d" + std::to_string(order) + ".in" : order_id);
            change_insert.run();
            change_insert.reset();
            if (change_id % 1'000'000 == 0) {
                db.exec("COMMIT; BEGIN");
                std::fprintf(stderr, "ledger_gen: %lld changes, %.0f s\n",
                             static_cast<long long>(change_id), seconds_since(start));
            }
        }
    }
    db.exec("COMMIT");
    const double rows_s = seconds_since(start);
    for (const std::string& sql : indexes) db.exec(sql);
    db.exec("PRAGMA journal_mode = WAL");
    std::printf("ledger_gen: %lld runs, %lld changes: rows %.1f s, indexes %.1f s, %.0f MiB\n",
                static_cast<long long>(runs), static_cast<long long>(change_id), rows_s,
                seconds_since(start) - rows_s,
                static_cast<double>(std::filesystem::file_size(file)) / (1 << 20));
    return 0;
}

// One query of a page, timed.
struct Query {
    std::string name;
    std::function<std::size_t()> run;  // the rows it read
};

int bench(const std::filesystem::path& state_dir, int rounds) {
    LedgerView view(state_dir);
    std::int64_t runs = 0, changes = 0, died_before = 0, big = 0;
    std::string order, domain;
    {
        SqliteDb db = SqliteDb::read_only(state_dir / Ledger::file_name, 2'000);
        auto max = db.prepare("SELECT (SELECT MAX(id) FROM runs), (SELECT MAX(id) FROM changes)");
        max.step();
        runs = max.integer(0);
        changes = max.integer(1);
        auto picked = db.prepare("SELECT order_id FROM changes WHERE id >= ?1 ORDER BY id LIMIT 1");
        picked.bind(1, changes / 2);
        if (picked.step()) order = picked.text(0);
        auto domain_pick = db.prepare(
            "SELECT target FROM changes WHERE id >= ?1 AND target LIKE 'd%.in' ORDER BY id LIMIT "
            "1");
        domain_pick.bind(1, changes / 3);
        if (domain_pick.step()) domain = domain_pick.text(0);
        died_before = runs / 2;
        auto targets = db.prepare("SELECT targets FROM runs WHERE id = ?1");
        targets.bind(1, big_run(runs));
        if (targets.step()) big = targets.integer(0);
    }
    const std::int64_t month_from = first_start + year / 2, month_to = month_from + 30 * 86'400;
    const std::vector<Query> queries = {
        {"runs: first page", [&] { return view.runs({}).rows.size(); }},
        {"runs: a page 75% down the paging",
         [&] { return view.runs({.before_id = runs / 4}).rows.size(); }},
        {"runs: filter by job", [&] { return view.runs({.job = job_name(7)}).rows.size(); }},
        {"runs: filter by job, deep",
         [&] { return view.runs({.job = job_name(7), .before_id = runs / 4}).rows.size(); }},
        {"runs: state died", [&] { return view.runs({.state = RunState::died}).rows.size(); }},
        {"runs: state died, deep",
         [&] {
             return view.runs({.state = RunState::died, .before_id = died_before}).rows.size();
         }},
        {"runs: state stopped",
         [&] { return view.runs({.state = RunState::stopped}).rows.size(); }},
        {"runs: a month's date range",
         [&] {
             return view.runs({.started_from = month_from, .started_to = month_to}).rows.size();
         }},
        {"runs: the page of the biggest run",
         [&] { return view.runs({.before_id = big_run(runs) + 1}).rows.size(); }},
        {"run: the biggest, with charged totals",
         [&] { return static_cast<std::size_t>(view.run(big_run(runs)).has_value()); }},
        {"run: a typical one, with charged totals",
         [&] { return static_cast<std::size_t>(view.run(big_run(runs) + 7).has_value()); }},
        {"run: its changes, first page",
         [&] { return view.run_changes(big_run(runs), 0, 50).rows.size(); }},
        {"run: its changes, last page",
         [&] {
             const std::int64_t last = view.run_changes(big_run(runs), 0, 1).rows.at(0).id;
             return view.run_changes(big_run(runs), last - big + 60, 50).rows.size();
         }},
        {"order: its changes", [&] { return view.order_changes(order, 0, 50).rows.size(); }},
        {"search: a domain", [&] { return view.target_changes(domain, 0, 50).rows.size(); }},
        {"search: job names", [&] { return view.jobs_named("renew", 20).size(); }},
    };
    std::printf(
        "| query (LedgerView, %d rounds) | rows | median | max | max / 100 ms budget |\n"
        "|---|---|---|---|---|\n",
        rounds);
    for (const Query& q : queries) {
        std::vector<double> ms;
        std::size_t rows = 0;
        for (int i = 0; i < rounds; ++i) {
            const auto start = Clock::now();
            rows = q.run();
            ms.push_back(seconds_since(start) * 1000);
        }
        std::sort(ms.begin(), ms.end());
        const double median = ms[ms.size() / 2];
        std::printf("| %s | %zu | %.2f ms | %.2f ms | %.3f |\n", q.name.c_str(), rows, median,
                    ms.back(), ms.back() / 100);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc >= 3 && std::string(argv[1]) == "--bench")
            return bench(argv[2], argc >= 4 ? std::max(1, std::atoi(argv[3])) : 20);
        if (argc == 4 || argc == 5)
            return generate(argv[1], std::atoll(argv[2]), std::atoll(argv[3]),
                            argc == 5 ? std::atoll(argv[4]) : default_big_run);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ledger_gen: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr,
                 "usage: rcbatch_ledger_gen STATE_DIR RUNS CHANGES [BIG]\n"
                 "       rcbatch_ledger_gen --bench STATE_DIR [ROUNDS]\n");
    return 2;
}
