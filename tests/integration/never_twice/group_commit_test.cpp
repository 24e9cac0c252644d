// Group commit of claims and intents (issue #23): a renew's claim in the ledger and its first
// intent line go to disk in one group — one transaction, one sync — and the order waits for
// the disk once before it sends; a retry still writes its own intent line first. Counted from
// the run's summary (journal_waited_groups, journal_syncs), its journal and the sandbox's
// counters, never from timing.
#include "engine/store/journal_lines.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/run_fixture.hpp"

namespace group_commit_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
const std::vector<jobs::CallParam> renew{{"months", std::int64_t{12}},
                                         {"invoice-option", std::string("NoInvoice")},
                                         {"auto-renew", false}};

std::uint64_t summary_count(const RunOutput& out, const char* key) {
    return out.summary.at(key).to_number<std::uint64_t>();
}

// The run's intent lines by order id, each checked to be exactly what call() writes for its
// seq, attempt and members (journal_intent_line).
std::map<std::string, std::vector<json::object>> intents_by_order(const RunOutput& out) {
    std::map<std::string, std::vector<json::object>> intents;
    std::istringstream lines(slurp(out.report.dir / "journal.jsonl"));
    std::string line;
    while (std::getline(lines, line)) {
        json::object o = json::parse(line).as_object();
        if (text_of(o.at("type")) != "intent") continue;
        const auto seq = o.at("seq").to_number<std::uint64_t>();
        const int attempt = o.at("attempt").to_number<int>();
        json::object members;  // in the line's order (erase would move the last member)
        for (const auto& [key, value] : o)
            if (key != "type" && key != "seq" && key != "attempt") members[key] = value;
        const std::string text = json::serialize(members);
        CHECK(engine::journal_intent_line(seq, attempt, text.substr(1, text.size() - 2)) == line);
        intents[text_of(o.at("order"))].push_back(std::move(o));
    }
    return intents;
}
}  // namespace

TEST_SUITE("never twice: group commit") {
    TEST_CASE("one worker: each renew waits for one disk group, its claim's and its intent's") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 30);
        REQUIRE(ids.size() == 30);
        auto out = f.run_ids(f.action("backup.renew", "us", renew), ids, f.settings(1));
        check_complete_reports(out, ids.size());
        CHECK(out.count("ok") == ids.size());
        // One waited group an order (two before: the claim's, then the intent's); each with one
        // fdatasync of the journal, beside the header's and close()'s.
        CHECK(summary_count(out, "journal_waited_groups") == ids.size());
        CHECK(summary_count(out, "journal_syncs") <= ids.size() + 2);
        const auto intents = intents_by_order(out);
        CHECK(intents.size() == ids.size());
        for (auto id : ids) {
            CAPTURE(id);
            const auto it = intents.find(std::to_string(id));
            REQUIRE(it != intents.end());
            REQUIRE(it->second.size() == 1);
            CHECK(it->second.front().at("attempt").to_number<int>() == 1);
            CHECK(it->second.front().contains("state"));  // the preflight's read, as before
            CHECK(f.counter(id, "backup.renew").received == 1);
        }
    }

    TEST_CASE("sixteen workers with refusals: groups are shared, every attempt has its intent") {
        sandbox::Options o = run_options(13);
        o.sizes.backups_per_region = 150;
        o.faults = sandbox::parse_fault_spec("429=0.15");
        o.faults.retry_after_seconds = 0;
        RunFixture f(o);
        const auto ids = f.own_orders(active_backup("us"), 100);
        REQUIRE(ids.size() == 100);
        auto out = f.run_ids(f.action("backup.renew", "us", renew), ids, f.settings(16));
        check_complete_reports(out, ids.size());
        const auto intents = intents_by_order(out);
        std::uint64_t sent = 0, intent_lines = 0;
        for (auto id : ids) {
            CAPTURE(id);
            const auto c = f.counter(id, "backup.renew");
            CHECK(c.applied <= 1);
            sent += c.received;
            // Each request the sandbox received had its own intent line, numbered 1, 2, ...:
            // attempt 1's went with the claim, a retry's was written by the call. (More lines
            // than requests only for an attempt that never left: a reused connection found
            // closed.)
            const auto it = intents.find(std::to_string(id));
            REQUIRE(it != intents.end());
            CHECK(it->second.size() >= c.received);
            intent_lines += it->second.size();
            for (std::size_t i = 0; i < it->second.size(); ++i)
                CHECK(it->second[i].at("attempt").to_number<std::size_t>() == i + 1);
        }
        // At most one waited group for each intent line (a claim carries its order's first;
        // before, a claim and an intent waited apart); shared between workers, usually far fewer.
        const std::uint64_t groups = summary_count(out, "journal_waited_groups");
        const std::uint64_t syncs = summary_count(out, "journal_syncs");
        CHECK(groups <= intent_lines);
        CHECK(syncs <= groups + 2);
        MESSAGE(ids.size() << " orders, " << sent << " renews sent: " << groups
                           << " waited groups, " << syncs << " journal syncs ("
                           << static_cast<double>(syncs) / static_cast<double>(ids.size())
                           << " an order)");
    }
}

}  // namespace group_commit_test
