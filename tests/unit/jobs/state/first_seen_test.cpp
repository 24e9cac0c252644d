#include "jobs/state/first_seen.hpp"

#include "jobs/select/repeated_targets.hpp"

#include <doctest/doctest.h>

#include <string>

namespace first_seen_test {

using namespace rcbatch::jobs;

TEST_SUITE("first seen: the index that finds duplicate targets") {
    TEST_CASE("a key seen again gives the place it was first seen; others give nothing") {
        FirstSeen seen;
        CHECK_FALSE(seen.remember("#42", "line 2").has_value());
        CHECK_FALSE(seen.remember("example.in", "line 3").has_value());
        CHECK(seen.remember("#42", "line 7") == "line 2");
        CHECK(seen.remember("#42", "line 9") == "line 2");  // the first place, not the last
        CHECK(seen.remember("example.in", "entry 4") == "line 3");
        CHECK_FALSE(seen.remember("#420", "line 10").has_value());
    }

    TEST_CASE("many more keys than its page cache holds: every duplicate still found") {
        // 200,000 keys fill ~10 MiB of pages, ten times the cache, so most live in the file.
        FirstSeen seen;
        int fresh = 0;
        for (int i = 0; i < 200'000; ++i)
            fresh += !seen.remember("#" + std::to_string(1'000'000 + i),
                                    "line " + std::to_string(i + 2));
        CHECK(fresh == 200'000);
        int found = 0;
        for (int i = 0; i < 200'000; i += 997)
            found += seen.remember("#" + std::to_string(1'000'000 + i), "again") ==
                     "line " + std::to_string(i + 2);
        CHECK(found == 201);
    }

    TEST_CASE("an order seen again: a duplicate with the same parameters, a conflict with others") {
        // The index on disk and the one in memory give the same verdicts.
        for (const SeenKeysMaker& make :
             {SeenKeysMaker(seen_keys_on_disk), SeenKeysMaker(seen_keys_in_memory)}) {
            RepeatedTargets seen(make());
            const boost::json::object twelve{{"months", 12}, {"auto-renew", false}};
            CHECK_FALSE(seen.see("#42", "line 2", twelve).first.has_value());
            // The same values in another order of members: a duplicate.
            const auto same = seen.see("#42", "line 3", {{"auto-renew", false}, {"months", 12}});
            CHECK(same.first == "line 2");
            CHECK(same.conflict.empty());
            const auto other = seen.see("#42", "line 5", {{"months", 120}});
            CHECK(other.first == "line 2");
            CHECK(other.conflict ==
                  "auto-renew: line 2 false, line 5 (none); months: line 2 12, line 5 120");
            CHECK(seen.see("example.in", "line 6", {}).conflict.empty());
            CHECK(seen.see("example.in", "line 7", {}).first == "line 6");
        }
        CHECK(order_key("42", "42") == "#42");
        CHECK(order_key("", "Shop.CO.in") == "shop.co.in");
    }
}

}  // namespace first_seen_test
