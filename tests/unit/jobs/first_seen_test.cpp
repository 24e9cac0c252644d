#include "jobs/state/first_seen.hpp"

#include <doctest/doctest.h>

#include <string>

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
}
