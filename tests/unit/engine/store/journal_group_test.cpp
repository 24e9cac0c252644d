// A disk task's own journal line (Journal::run_in_group): a change's claim in the ledger and its
// intent line go out in one group, the line written and synced after the ledger's transaction
// committed, and never when it failed.
#include "engine/store/journal.hpp"
#include "engine/store/journal_lines.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace journal_group_test {

namespace asio = boost::asio;
using rcbatch::engine::DiskTaskOutput;
using rcbatch::engine::DiskTaskResult;
using rcbatch::engine::Failure;
using rcbatch::engine::Fault;
using rcbatch::engine::Journal;
using rcbatch::engine::JournalError;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

std::string intent_line(std::uint64_t seq) {
    return rcbatch::engine::journal_intent_line(seq, 1, R"("order":")" + std::to_string(seq) + '"');
}

// A ledger stand-in: counts its transactions, and at each commit notes what the journal file
// holds then; a commit may be told to fail.
struct Companion final : rcbatch::engine::GroupCompanion {
    explicit Companion(std::filesystem::path journal) : file(std::move(journal)) {}
    void begin_group() override { ++begun; }
    void commit_group() override {
        at_commit.push_back(slurp(file));
        if (fail_commit) throw std::runtime_error("disk I/O error");
        ++committed;
    }
    std::filesystem::path file;
    bool fail_commit = false;
    int begun = 0, committed = 0;
    std::vector<std::string> at_commit;  // the journal's text at each commit
};

}  // namespace

TEST_SUITE("journal: a task's line") {
    TEST_CASE("is on disk when the task's coroutine resumes, written after the commit") {
        TempDir dir("rcbatch-journal-group");
        const auto path = dir.path / "journal.jsonl";
        asio::io_context ioc;
        Journal journal(ioc.get_executor(), path);
        Companion ledger(path);
        journal.set_companion(&ledger);
        constexpr int tasks = 24;
        int resumed_with_line = 0, resumed = 0;
        for (int i = 0; i < tasks; ++i) {
            asio::co_spawn(
                ioc,
                [&, i]() -> asio::awaitable<void> {
                    const auto seq = static_cast<std::uint64_t>(i);
                    // Every fourth task returns no line: a claim that was refused.
                    const bool with_line = i % 4 != 0;
                    DiskTaskResult r = co_await journal.run_in_group([seq, with_line] {
                        return DiskTaskOutput{"granted " + std::to_string(seq),
                                              with_line ? intent_line(seq) : std::string()};
                    });
                    CHECK_FALSE(r.fault);
                    CHECK(r.text == "granted " + std::to_string(seq));
                    ++resumed;
                    const bool on_disk =
                        slurp(path).find(intent_line(seq) + '\n') != std::string::npos;
                    CHECK(on_disk == with_line);
                    resumed_with_line += on_disk;
                },
                asio::detached);
        }
        ioc.run();
        journal.close();
        CHECK(resumed == tasks);
        CHECK(resumed_with_line == tasks * 3 / 4);
        // The tasks share groups: one transaction and one sync for each.
        CHECK(ledger.committed == ledger.begun);
        CHECK(ledger.committed >= 1);
        CHECK(journal.waited_groups() == static_cast<std::uint64_t>(ledger.committed));
        CHECK(journal.syncs() <= journal.waited_groups() + 1);  // + close()'s
        // No task's line was in the file while its transaction was still open.
        for (const std::string& text : ledger.at_commit)
            for (int i = 0; i < tasks; ++i) CHECK(text.find(intent_line(i)) == std::string::npos);
        CHECK(rcbatch::test::count_lines(slurp(path)) == static_cast<std::size_t>(tasks * 3 / 4));
    }

    TEST_CASE("a group of tasks without lines syncs nothing") {
        TempDir dir("rcbatch-journal-group");
        asio::io_context ioc;
        Journal journal(ioc.get_executor(), dir.path / "journal.jsonl");
        Companion ledger(dir.path / "journal.jsonl");
        journal.set_companion(&ledger);
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                DiskTaskResult r = co_await journal.run_in_group([] { return DiskTaskOutput{}; });
                CHECK_FALSE(r.fault);
            },
            asio::detached);
        ioc.run();
        CHECK(ledger.committed == 1);
        CHECK(journal.syncs() == 0);
        journal.close();
    }

    TEST_CASE("a failing commit writes no line of its group and breaks the journal") {
        TempDir dir("rcbatch-journal-group");
        const auto path = dir.path / "journal.jsonl";
        asio::io_context ioc;
        Journal journal(ioc.get_executor(), path);
        Companion ledger(path);
        ledger.fail_commit = true;
        journal.set_companion(&ledger);
        journal.write(R"({"type":"result","seq":9})");  // a lazy line the group would carry
        Fault claimed, durable, later;
        std::optional<DiskTaskResult> after;
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                DiskTaskResult r = co_await journal.run_in_group([] {
                    return DiskTaskOutput{{}, intent_line(1)};
                });
                claimed = r.fault;
                // Broken from now on: neither a durable line nor another task goes out.
                durable = co_await journal.write_durable(intent_line(2));
                after = co_await journal.run_in_group([] {
                    return DiskTaskOutput{{}, intent_line(3)};
                });
            },
            asio::detached);
        ioc.run();
        CHECK(claimed.code == Failure::state);
        CHECK(claimed.text.find("disk I/O error") != std::string::npos);
        CHECK(durable.code == claimed.code);
        CHECK(durable.text == claimed.text);
        REQUIRE(after.has_value());
        CHECK(after->fault.text == claimed.text);
        CHECK(ledger.begun == 1);  // the later task never ran
        CHECK(journal.syncs() == 0);
        CHECK_THROWS_AS(journal.close(), JournalError);
        CHECK(slurp(path).empty());
    }
}

}  // namespace journal_group_test
