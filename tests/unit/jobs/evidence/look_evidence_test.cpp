// An order's action log from a look at the account's lists (jobs/evidence/look_evidence.hpp):
// the entries the order's own lists would give, or no answer whenever the look cannot show it
// saw every action that could be placed after the intent — then the order reads its own lists.

#include "jobs/evidence/look_evidence.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace look_evidence_test {

using namespace rcbatch::jobs;

namespace {
constexpr std::int64_t intent = 1'700'000'000;
constexpr std::int64_t reach = intent - 5;  // the intent less the clock skew

SeenAction seen(std::string eaqid, std::int64_t added, std::uint64_t look, bool current = false) {
    LoggedAction a{std::move(eaqid), "42", "Renew", current ? "Pending" : "Success", added,
                   current,          ""};
    return {a, look};
}

// Look 3, which read both lists back to `cutoff` and not whole.
LookSighting sighting(std::vector<SeenAction> entries, std::int64_t cutoff = reach - 10) {
    LookSighting s;
    s.look = {3, cutoff, false};
    s.entries = std::move(entries);
    return s;
}

std::vector<std::string> eaqids(const LogAnswer& log) {
    std::vector<std::string> ids;
    for (const LoggedAction& a : log.entries) ids.push_back(a.eaqid);
    return ids;
}
}  // namespace

TEST_SUITE("evidence from a look") {
    TEST_CASE("the order's entries as its own lists give them: current first, each by eaqid") {
        const LookLog log =
            log_from_look(sighting({seen("900", intent + 1, 3), seen("1000", intent + 2, 3, true),
                                    seen("99", intent - 3600, 3)}),
                          reach);
        REQUIRE(log.answer.has_value());
        CHECK(log.why_not.empty());
        CHECK(log.answer->failure.outcome == rcbatch::engine::Outcome::ok);
        CHECK(eaqids(*log.answer) == std::vector<std::string>{"1000", "99", "900"});
        // The flow finds the change in them as in its own lists.
        EvidenceBound bound;
        bound.server_since = intent;
        const ChangeSearch found = find_change(log.answer->entries, "42", {"Renew"}, bound);
        REQUIRE(found.found.has_value());
        CHECK(found.found->eaqid == "1000");
        CHECK(found.found->current);
    }

    TEST_CASE("nothing of the order on the lists: an empty log, which the flow reads as nothing") {
        const LookLog log = log_from_look(sighting({}), reach);
        REQUIRE(log.answer.has_value());
        CHECK(log.answer->entries.empty());
    }

    TEST_CASE(
        "a later look's sighting counts; an older action the look did not read again is left out") {
        const LookLog log =
            log_from_look(sighting({seen("7", reach - 1, 1), seen("8", intent, 4)}), reach);
        REQUIRE(log.answer.has_value());
        CHECK(eaqids(*log.answer) == std::vector<std::string>{"8"});
    }

    TEST_CASE("no answer when the look cannot show every action after the intent") {
        struct Case {
            const char* name;
            LookSighting s;
            const char* why;
        };
        LookSighting no_look = sighting({});
        no_look.look = {};
        LookSighting untimed = sighting({});
        untimed.untimed = true;
        LookSighting unattributed = sighting({});
        unattributed.unattributed = true;
        LookSighting shifted = sighting({});
        shifted.look.steady = false;
        const std::vector<Case> cases{
            {"no look", no_look, "no look was made"},
            {"an entry without an order or id", unattributed, "names no order or has no id"},
            {"an entry without a time", untimed, "has no added time"},
            {"a list changed between its pages", shifted, "changed while the look read"},
            {"the look stopped short of the intent", sighting({}, reach + 1),
             "did not reach back to the intent"},
            {"an action an earlier look saw after the intent is gone",
             sighting({seen("8", reach, 2)}), "action 8 listed by an earlier look"},
            {"an action without a time an earlier look saw is gone", sighting({seen("8", 0, 2)}),
             "action 8 listed by an earlier look"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            const LookLog log = log_from_look(c.s, reach);
            CHECK_FALSE(log.answer.has_value());
            CHECK(log.why_not.find(c.why) != std::string::npos);
        }
    }

    TEST_CASE("a look that read both lists whole needs no cutoff and no times") {
        LookSighting s = sighting({seen("8", 0, 3)}, reach + 100);
        s.look.whole = true;
        s.untimed = true;
        const LookLog log = log_from_look(s, reach);
        REQUIRE(log.answer.has_value());
        CHECK(eaqids(*log.answer) == std::vector<std::string>{"8"});
        // ... but an entry without a time that it did not list again is still missing.
        s.entries.push_back(seen("9", 0, 2));
        CHECK_FALSE(log_from_look(s, reach).answer.has_value());
    }
}

}  // namespace look_evidence_test
