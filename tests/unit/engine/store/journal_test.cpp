#include "engine/store/journal.hpp"

#include "engine/report/result_record.hpp"
#include "engine/store/journal_lines.hpp"
#include "engine/store/journal_scan.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <set>

namespace journal_test {

namespace asio = boost::asio;
namespace json = boost::json;
using rcbatch::engine::Journal;
using rcbatch::engine::JournalError;
using rcbatch::engine::Outcome;
using rcbatch::test::TempDir;

namespace {
json::object intent(std::uint64_t seq) {
    return {
        {"type", "intent"}, {"seq", seq}, {"attempt", 1}, {"state", {{"endtime", "1700000000"}}}};
}

json::object result(std::uint64_t seq, std::string_view outcome) {
    rcbatch::engine::OrderResult r;
    r.seq = seq;
    r.target = std::to_string(100 + seq);
    r.order_id = r.target;
    r.action = "backup.renew";
    r.outcome = rcbatch::engine::outcome_from_string(outcome).value();
    json::object line = rcbatch::engine::to_json(r);
    line["type"] = "result";
    return line;
}

void write_lines(const std::filesystem::path& path, std::initializer_list<json::object> lines,
                 std::string_view tail = "") {
    std::ofstream out(path);
    out << json::serialize(json::object{{"type", "run"}, {"job", "j"}, {"targets", 4}}) << '\n';
    for (const auto& line : lines) out << json::serialize(line) << '\n';
    out << tail;
}
}  // namespace

TEST_CASE("journal: concurrent durable writes share syncs and each line lands once") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    asio::io_context ioc;
    Journal journal(ioc.get_executor(), path);
    constexpr int writers = 64;
    int durable = 0;
    for (int i = 0; i < writers; ++i) {
        asio::co_spawn(
            ioc,
            [&, i]() -> asio::awaitable<void> {
                for (int round = 0; round < 3; ++round) {
                    const rcbatch::engine::Fault failed = co_await journal.write_durable(
                        intent(static_cast<std::uint64_t>(i * 3 + round)));
                    CHECK_FALSE(failed);
                    // What a worker was told is durable must already be in the file.
                    if (!failed) ++durable;
                    journal.write(result(static_cast<std::uint64_t>(i * 3 + round), "ok"));
                }
            },
            asio::detached);
    }
    ioc.run();
    journal.close();
    CHECK(durable == writers * 3);
    // Grouped: far fewer syncs than lines that waited for one.
    CHECK(journal.syncs() < static_cast<std::uint64_t>(writers * 3));
    CHECK(journal.syncs() >= 1);

    std::ifstream in(path);
    std::string text;
    std::multiset<std::string> seen;
    while (std::getline(in, text)) {
        json::object o = json::parse(text).as_object();
        seen.insert(std::string(o.at("type").as_string()) + ":" + json::serialize(o.at("seq")));
    }
    CHECK(seen.size() == static_cast<std::size_t>(writers * 3 * 2));
    for (int seq = 0; seq < writers * 3; ++seq) {
        CHECK(seen.count("intent:" + std::to_string(seq)) == 1);
        CHECK(seen.count("result:" + std::to_string(seq)) == 1);
    }
}

TEST_CASE("journal: a line cut short by a crash is ended before the next one") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    write_lines(path, {intent(0)}, R"({"type":"result","seq":0,"outc)");
    asio::io_context ioc;
    Journal journal(ioc.get_executor(), path);
    journal.write_now(json::object{{"type", "resume"}});
    journal.close();
    const std::string text = rcbatch::test::slurp(path);
    CHECK(text.find("\"outc\n{\"type\":\"resume\"}\n") != std::string::npos);

    // The cut line was the last one when the run died: not damage; the intent stays open.
    const auto scan = rcbatch::engine::scan_journal(path);
    CHECK(scan.damaged_lines == 0);
    CHECK(scan.sessions == 2);
    CHECK(scan.open_intents.count(0) == 1);
    CHECK_FALSE(scan.is_final(0));
}

TEST_CASE(
    "journal: a waiter cancelled mid-sync throws or sees its line durable; the journal stays "
    "usable") {
    TempDir dir("rcbatch-journal");
    asio::io_context ioc;
    Journal journal(ioc.get_executor(), dir.path / "journal.jsonl");
    asio::cancellation_signal cancel;
    std::exception_ptr thrown;
    std::optional<rcbatch::engine::Fault> returned;
    std::optional<rcbatch::engine::Fault> later;
    asio::co_spawn(ioc, journal.write_durable(intent(0)),
                   asio::bind_cancellation_slot(
                       cancel.slot(), [&](std::exception_ptr e, rcbatch::engine::Fault r) {
                           thrown = e;
                           if (!e) returned = r;
                           asio::co_spawn(
                               ioc,
                               [&]() -> asio::awaitable<void> {
                                   later = co_await journal.write_durable(intent(1));
                               },
                               asio::detached);
                       }));
    // Queued while the write waits for its sync. A fast disk (tmpfs) can still answer first:
    // then the line is durable and the write says so. Never an error text, never a halt.
    asio::post(ioc, [&] { cancel.emit(asio::cancellation_type::terminal); });
    ioc.run();
    journal.close();
    CHECK((thrown != nullptr) != returned.has_value());
    if (thrown) CHECK_THROWS_AS(std::rethrow_exception(thrown), boost::system::system_error);
    if (returned) CHECK_FALSE(*returned);
    REQUIRE(later.has_value());
    CHECK_FALSE(*later);
    CHECK(rcbatch::test::count_lines(rcbatch::test::slurp(dir.path / "journal.jsonl")) == 2);
}

TEST_CASE("journal: a journal that cannot be written refuses every durable write") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    const rcbatch::test::FileSizeLimit full_disk(0);
    asio::io_context ioc;
    Journal journal(ioc.get_executor(), path);
    rcbatch::engine::Fault first, second;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            first = co_await journal.write_durable(intent(0));
            second = co_await journal.write_durable(intent(1));
        },
        asio::detached);
    ioc.run();
    CHECK(first.code == rcbatch::engine::Failure::journal);
    CHECK(first.text.find("cannot write " + path.string()) != std::string::npos);
    CHECK(second.code == first.code);
    CHECK(second.text == first.text);
    CHECK_THROWS_AS(journal.close(), JournalError);
}

TEST_CASE("journal scan: finals, open intents and the last result of each order") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    write_lines(path,
                {
                    intent(0),
                    result(0, "ok"),  // done
                    intent(1),
                    result(1, "cancelled"),  // cancelled in flight: open
                    result(2, "transient"),  // read-only, final
                    intent(3),
                    json::object{{"type", "resume"}},
                    intent(3),  // died in flight, twice
                    json::object{{"type", "resume"}},
                },
                "{\"type\":\"result\",\"seq\":3");  // cut by the crash
    auto scan = rcbatch::engine::scan_journal(path);
    CHECK(scan.targets == 4);
    CHECK(scan.sessions == 3);
    CHECK(scan.final_orders == 2);
    CHECK(scan.is_final(0));
    CHECK_FALSE(scan.is_final(1));
    CHECK(scan.is_final(2));
    CHECK_FALSE(scan.is_final(3));
    CHECK(scan.damaged_lines == 0);
    REQUIRE(scan.open_intents.size() == 2);
    CHECK(scan.open_intents.count(1) == 1);
    CHECK(scan.open_intents.count(3) == 1);

    std::vector<std::pair<std::uint64_t, Outcome>> all, finals;
    rcbatch::engine::for_each_last_result(
        path, scan, false, [&](const auto& r) { all.emplace_back(r.seq, r.outcome); });
    rcbatch::engine::for_each_last_result(
        path, scan, true, [&](const auto& r) { finals.emplace_back(r.seq, r.outcome); });
    CHECK(all == std::vector<std::pair<std::uint64_t, Outcome>>{
                     {0, Outcome::ok}, {1, Outcome::cancelled}, {2, Outcome::transient}});
    CHECK(finals == std::vector<std::pair<std::uint64_t, Outcome>>{{0, Outcome::ok},
                                                                   {2, Outcome::transient}});
}

TEST_CASE("journal scan: a later final result replaces a cancelled one, never the other way") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    write_lines(path, {result(1, "cancelled"), result(1, "ok"), result(1, "not_run")});
    auto scan = rcbatch::engine::scan_journal(path);
    CHECK(scan.is_final(1));
    std::vector<Outcome> seen;
    rcbatch::engine::for_each_last_result(path, scan, false,
                                          [&](const auto& r) { seen.push_back(r.outcome); });
    CHECK(seen == std::vector<Outcome>{Outcome::ok});
}

TEST_CASE("journal scan: a settle line replaces even a final result; one not applied reopens") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    // 0: unknown, settled applied; 1: unknown, settled not applied (its intent carried back);
    // 2: an open intent settled applied; 3: unknown, never settled.
    auto settle = [](std::uint64_t seq, std::string_view outcome, bool reopen) {
        json::object record_object = result(seq, outcome);
        record_object.erase("type");  // a record as results.jsonl holds it
        const std::string record = json::serialize(record_object);
        return json::parse(rcbatch::engine::journal_settle_line(
                               record, 0, reopen ? json::serialize(intent(seq)) : std::string()))
            .as_object();
    };
    write_lines(path, {intent(0), result(0, "unknown"), intent(1), result(1, "unknown"), intent(2),
                       intent(3), result(3, "unknown"), settle(0, "ok", false),
                       settle(1, "not_run", true), settle(2, "ok", false)});
    const auto scan = rcbatch::engine::scan_journal(path);
    CHECK(scan.is_final(0));
    CHECK_FALSE(scan.is_final(1));
    CHECK(scan.is_final(2));
    CHECK(scan.is_final(3));
    CHECK(scan.final_orders == 3);
    REQUIRE(scan.open_intents.size() == 1);
    CHECK(scan.open_intents.at(1).at("seq").to_number<int>() == 1);  // --resume reconciles it
    std::vector<std::pair<std::uint64_t, Outcome>> last;
    rcbatch::engine::for_each_last_result(
        path, scan, false, [&](const auto& r) { last.emplace_back(r.seq, r.outcome); });
    CHECK(last ==
          std::vector<std::pair<std::uint64_t, Outcome>>{
              {3, Outcome::unknown}, {0, Outcome::ok}, {1, Outcome::not_run}, {2, Outcome::ok}});
}

TEST_CASE("journal scan: refuses a journal without header or with an order beyond the targets") {
    TempDir dir("rcbatch-journal");
    const auto path = dir.path / "journal.jsonl";
    {
        std::ofstream out(path);
        out << json::serialize(intent(0)) << '\n';
    }
    CHECK_THROWS_AS(rcbatch::engine::scan_journal(path), JournalError);
    write_lines(path, {intent(9)});
    CHECK_THROWS_WITH_AS(rcbatch::engine::scan_journal(path), doctest::Contains("journal.jsonl:2"),
                         JournalError);
    CHECK_THROWS_AS(rcbatch::engine::scan_journal(dir.path / "missing.jsonl"), JournalError);
}

TEST_CASE("result record: to_json and from_json agree") {
    rcbatch::engine::OrderResult r;
    r.seq = 7;
    r.target = "example.in";
    r.order_id = "123";
    r.action = "nixi.resend";
    r.outcome = Outcome::api_error;
    r.http_status = 500;
    r.message = "Invalid Order Id";
    r.fields["endtime"] = "1700000000";
    r.attempts = 3;
    r.retries = 2;
    r.reconciled = true;
    r.latency = std::chrono::milliseconds(42);
    r.started = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} +
                std::chrono::milliseconds(3'723'456);
    r.finished = r.started + std::chrono::milliseconds(42);
    json::object o = rcbatch::engine::to_json(r);
    o["retries"] = r.retries;
    const auto back = rcbatch::engine::from_json(o);
    CHECK(json::serialize(rcbatch::engine::to_json(back)) ==
          json::serialize(rcbatch::engine::to_json(r)));
    CHECK(back.retries == 2);
    CHECK(rcbatch::engine::iso8601_utc(back.started, true) == "2026-11-27T01:02:03.456Z");

    CHECK_FALSE(rcbatch::engine::parse_iso8601_utc("2026-13-01T00:00:00Z"));
    CHECK_FALSE(rcbatch::engine::parse_iso8601_utc("2026-11-27 01:02:03"));
    CHECK(rcbatch::engine::parse_iso8601_utc("2026-11-27T01:02:03Z"));
    CHECK(rcbatch::engine::from_json(json::object{{"outcome", "nonsense"}}).outcome ==
          Outcome::unknown);
}

}  // namespace journal_test
