// [targets] exclude-order-ids / exclude-file beside a search (issue #19 "searches take
// exclusions"): the orders the search finds and the job excludes are not run — no record,
// not counted as skipped — and the summary counts and names them.

#include "tests/integration/selectors/selectors_fixture.hpp"

namespace exclusions_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using jobs::TargetKind;

TEST_SUITE("selectors: exclusions") {
    TEST_CASE("excluded orders are found but not run, on any page; the summary names them") {
        SelectorFixture f;
        const auto active = f.own(
            [](const sandbox::Order& o) { return backup_in(o, "us") && o.status == "Active"; });
        REQUIRE(active.size() > 600);  // more than one page of 500
        const std::vector<std::uint64_t> ids(active.begin(), active.end());
        const std::vector<std::int64_t> excluded{static_cast<std::int64_t>(ids.front()),
                                                 static_cast<std::int64_t>(ids[550]),
                                                 static_cast<std::int64_t>(ids.back())};
        jobs::SearchFilter filter;
        filter.status = {"Active"};
        filter.excluded = excluded;
        filter.excluded.push_back(1);  // one the search does not find: nothing to say about it

        Job job;
        job.action = f.action("backup.details", "us");
        job.search = f.search(filter, TargetKind::backup_order, "us");
        RunOutput out = f.run(std::move(job));
        CAPTURE(out.printed);
        CHECK(out.report.exit == ExitCode::ok);
        std::set<std::uint64_t> expected = active;
        for (auto id : excluded) expected.erase(static_cast<std::uint64_t>(id));
        CHECK(out.target_ids() == expected);
        CHECK(out.records.size() == expected.size());
        CHECK(out.count("ok") == expected.size());
        CHECK(out.count("skipped") == 0);
        const auto& summary = out.report.summary.json;
        REQUIRE(summary.contains("excluded"));
        CHECK(summary.at("excluded").at("count") == 3);
        std::vector<std::int64_t> named;
        for (const auto& v : summary.at("excluded").at("order_ids").as_array())
            named.push_back(v.to_number<std::int64_t>());
        std::sort(named.begin(), named.end());
        CHECK(named == excluded);
        CHECK(summary.at("orders").to_number<std::size_t>() == expected.size());
        CHECK(out.printed.find("excluded   3 orders found by the search and left out by the "
                               "job's exclusions: ") != std::string::npos);
        CHECK(f.sb.call([&](sandbox::Server& s) {
            std::uint64_t reads = 0;
            for (auto id : excluded)
                reads += s.counter(static_cast<std::uint64_t>(id), "backup.details").received;
            return reads;
        }) == 0);
    }
}

}  // namespace exclusions_test
