// `[targets] search = {...}` end to end: the selection phase of run_job pages through the
// sandbox's search (1234 backup orders per region, 1100 domains: several pages of 500) and
// targets.jsonl holds exactly the orders the sandbox's own data says, for every filter.
// Most cases plan a read-only action (a dry run sends nothing per order, so only the search
// pages cost requests); one runs it for real and checks one record per target.

#include "tests/integration/selectors/selectors_fixture.hpp"

#include <algorithm>

namespace search_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using jobs::TargetKind;

namespace {

// Runs a dry run of `action` over `filter` and checks targets.jsonl against `expected`:
// the same orders, each once, with the status and end time the sandbox has; one plan
// record per target; no count disagreement; exit 0.
RunOutput check_selection(SelectorFixture& f, const jobs::SearchFilter& filter, TargetKind kind,
                          std::string_view region, const std::set<std::uint64_t>& expected) {
    Job job;
    job.action =
        f.action(kind == TargetKind::domain_order ? "domain.details" : "backup.details", region);
    job.search = f.search(filter, kind, region);
    job.dry_run = true;
    RunOutput out = f.run(std::move(job));
    CAPTURE(out.printed);
    CHECK(out.report.message.empty());
    CHECK(out.report.mismatch.empty());
    CHECK(out.report.exit == ExitCode::ok);
    const std::set<std::uint64_t> got = out.target_ids();
    CHECK(got.size() == out.targets.size());
    CHECK(got == expected);
    if (got != expected) {
        std::vector<std::uint64_t> missing, extra;
        std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                            std::back_inserter(missing));
        std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                            std::back_inserter(extra));
        FAIL_CHECK("missing " << missing.size() << " (first " << (missing.empty() ? 0 : missing[0])
                              << "), unexpected " << extra.size() << " (first "
                              << (extra.empty() ? 0 : extra[0]) << ")");
    }
    const auto snapshot = f.sb.call([&](sandbox::Server& s) {
        std::map<std::uint64_t, sandbox::Order> orders;
        for (auto id : got) orders[id] = *s.order(id);
        return orders;
    });
    for (const auto& t : out.targets) {
        const auto& o = snapshot.at(std::stoull(text_of(t.at("id"))));
        const auto& extra = t.at("extra").as_object();
        CHECK(text_of(extra.at("status")) == o.status);
        CHECK(text_of(extra.at("endtime")) == std::to_string(o.end_time));
        CHECK(text_of(t.at("given")) ==
              (kind == TargetKind::domain_order ? o.description : std::to_string(o.id)));
    }
    CHECK(out.records.size() == expected.size());
    CHECK(out.count("ok") == expected.size());
    CHECK(out.report.summary.orders == expected.size());
    return out;
}

}  // namespace

TEST_SUITE("selectors: search") {
    TEST_CASE(
        "Active US backup orders ending within 30 days: exactly the sandbox's, run once each") {
        SelectorFixture f;
        const std::int64_t to = f.now + 30 * day_seconds;
        const auto expected = f.own([&](const sandbox::Order& o) {
            return backup_in(o, "us") && o.status == "Active" && o.end_time >= f.now &&
                   o.end_time <= to;
        });
        // The filter has something to leave out on both counts.
        REQUIRE(expected.size() > 100);
        REQUIRE(!f.own([&](const sandbox::Order& o) {
                      return backup_in(o, "us") && o.status == "Active" && o.end_time > to;
                  }).empty());
        REQUIRE(!f.own([&](const sandbox::Order& o) {
                      return backup_in(o, "us") && o.status != "Active" && o.end_time >= f.now &&
                             o.end_time <= to;
                  }).empty());

        jobs::SearchFilter filter;
        filter.status = {"Active"};
        filter.expires_within = std::chrono::hours(24 * 30);
        Job job;
        job.action = f.action("backup.details", "us");
        job.search = f.search(filter, TargetKind::backup_order);
        RunOutput out = f.run(std::move(job));
        CAPTURE(out.printed);
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.report.mismatch.empty());
        CHECK(out.target_ids() == expected);
        REQUIRE(out.records.size() == expected.size());
        CHECK(out.count("ok") == expected.size());
        std::set<std::uint64_t> recorded;
        for (const auto& r : out.records) recorded.insert(std::stoull(text_of(r.at("order"))));
        CHECK(recorded == expected);
        // Each order's details were read exactly once, by the batch.
        for (auto id : first(expected, 20)) CHECK(f.counter(id, "backup.details").applied == 1);
        check_no_key(out, f.sb.api_key());
    }

    TEST_CASE(
        "every page is fetched: all 1234 orders of a region, and a 400-day window, in us and "
        "asia") {
        SelectorFixture f;
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            const auto all = f.own([&](const sandbox::Order& o) { return backup_in(o, region); });
            REQUIRE(all.size() == 1234);  // pages of 500, 500 and 234
            check_selection(f, jobs::SearchFilter{}, TargetKind::backup_order, region, all);

            jobs::SearchFilter window;
            window.expires_within = std::chrono::hours(24 * 400);
            const std::int64_t to = f.now + 400 * day_seconds;
            const auto expected = f.own([&](const sandbox::Order& o) {
                return backup_in(o, region) && o.end_time >= f.now && o.end_time <= to;
            });
            REQUIRE(expected.size() > 1000);
            REQUIRE(expected.size() < all.size());
            check_selection(f, window, TargetKind::backup_order, region, expected);

            jobs::SearchFilter statuses;
            statuses.status = {"InActive", "Suspended", "Deleted"};
            check_selection(f, statuses, TargetKind::backup_order, region,
                            f.own([&](const sandbox::Order& o) {
                                return backup_in(o, region) && o.status != "Active";
                            }));
        }
    }

    TEST_CASE("expired-since: orders whose end time is in the last 100 days, any status") {
        SelectorFixture f;
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            jobs::SearchFilter filter;
            filter.expired_since = std::chrono::hours(24 * 100);
            const std::int64_t from = f.now - 100 * day_seconds;
            const auto expected = f.own([&](const sandbox::Order& o) {
                return backup_in(o, region) && o.end_time >= from && o.end_time <= f.now;
            });
            REQUIRE(expected.size() > 50);
            check_selection(f, filter, TargetKind::backup_order, region, expected);

            filter.status = {"Deleted"};
            check_selection(f, filter, TargetKind::backup_order, region,
                            f.own([&](const sandbox::Order& o) {
                                return backup_in(o, region) && o.status == "Deleted" &&
                                       o.end_time >= from && o.end_time <= f.now;
                            }));
        }
    }

    TEST_CASE("order-ids: only the reseller's own orders of the searched kind and region") {
        SelectorFixture f;
        const auto us =
            first(f.own([](const sandbox::Order& o) { return backup_in(o, "us"); }), 25);
        const auto asia =
            first(f.own([](const sandbox::Order& o) { return backup_in(o, "asia"); }), 5);
        const auto domains = first(
            f.own([](const sandbox::Order& o) { return o.kind == sandbox::OrderKind::domain; }), 5);
        const auto others = f.foreign([](const sandbox::Order& o) { return backup_in(o, "us"); });
        REQUIRE(us.size() == 25);
        REQUIRE(!others.empty());
        std::set<std::uint64_t> asked = us;
        asked.insert(asia.begin(), asia.end());
        asked.insert(domains.begin(), domains.end());
        asked.insert(others.begin(), others.end());

        jobs::SearchFilter filter;
        filter.order_ids = as_ids(asked);
        check_selection(f, filter, TargetKind::backup_order, "us", us);

        filter.status = {"Active"};
        std::set<std::uint64_t> active;
        for (auto id : us)
            if (f.order(id).status == "Active") active.insert(id);
        REQUIRE(!active.empty());
        REQUIRE(active.size() < us.size());
        check_selection(f, filter, TargetKind::backup_order, "us", active);
    }

    TEST_CASE("customer-ids: every order of those customers, in the region searched") {
        SelectorFixture f;
        std::set<std::uint64_t> customers;
        for (auto id :
             first(f.own([](const sandbox::Order& o) { return backup_in(o, "asia"); }), 3))
            customers.insert(f.order(id).customer_id);
        REQUIRE(!customers.empty());
        jobs::SearchFilter filter;
        filter.customer_ids = as_ids(customers);
        const auto expected = f.own([&](const sandbox::Order& o) {
            return backup_in(o, "asia") && customers.contains(o.customer_id);
        });
        REQUIRE(expected.size() >= customers.size());
        check_selection(f, filter, TargetKind::backup_order, "asia", expected);

        filter.expires_within = std::chrono::hours(24 * 30);
        check_selection(f, filter, TargetKind::backup_order, "asia",
                        f.own([&](const sandbox::Order& o) {
                            return backup_in(o, "asia") && customers.contains(o.customer_id) &&
                                   o.end_time >= f.now && o.end_time <= f.now + 30 * day_seconds;
                        }));
    }

    TEST_CASE("domains: the NIXI product keys by default, explicit product-keys, domain-name") {
        SelectorFixture f;
        const auto is_domain = [](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::domain;
        };
        REQUIRE(!f.own([&](const sandbox::Order& o) {
                      return is_domain(o) && !nixi_key(o.product_key);
                  }).empty());

        SUBCASE("default keys, Active: two pages, no other product, no other reseller") {
            jobs::SearchFilter filter;
            filter.status = {"Active"};
            const auto expected = f.own([&](const sandbox::Order& o) {
                return is_domain(o) && nixi_key(o.product_key) && o.status == "Active";
            });
            REQUIRE(expected.size() > 500);
            REQUIRE(!f.foreign([&](const sandbox::Order& o) {
                          return is_domain(o) && o.status == "Active";
                      }).empty());
            check_selection(f, filter, TargetKind::domain_order, "", expected);
        }
        SUBCASE("default keys, any status") {
            check_selection(f, jobs::SearchFilter{}, TargetKind::domain_order, "",
                            f.own([&](const sandbox::Order& o) {
                                return is_domain(o) && nixi_key(o.product_key);
                            }));
        }
        SUBCASE("explicit product-keys") {
            jobs::SearchFilter filter;
            filter.product_keys = {"domcno"};
            check_selection(f, filter, TargetKind::domain_order, "",
                            f.own([&](const sandbox::Order& o) {
                                return is_domain(o) && o.product_key == "domcno";
                            }));
            filter.product_keys = {"dotbharat", "thirdleveldotin"};
            filter.status = {"InActive", "Deleted"};
            check_selection(
                f, filter, TargetKind::domain_order, "", f.own([&](const sandbox::Order& o) {
                    return is_domain(o) &&
                           (o.product_key == "dotbharat" || o.product_key == "thirdleveldotin") &&
                           o.status != "Active";
                }));
        }
        SUBCASE("domain-name: the one domain of that name") {
            const auto some = first(f.own([&](const sandbox::Order& o) {
                return is_domain(o) && o.product_key == "dotin";
            }),
                                    1);
            REQUIRE(some.size() == 1);
            jobs::SearchFilter filter;
            filter.domain_name = f.order(*some.begin()).description;
            check_selection(f, filter, TargetKind::domain_order, "", some);
        }
    }

    TEST_CASE("the window's ends are inclusive, to the second, on both sides") {
        SelectorFixture f;
        const auto far = first(f.own([&](const sandbox::Order& o) {
            return backup_in(o, "us") && o.status == "Active" &&
                   o.end_time > f.now + 31 * day_seconds;
        }),
                               6);
        REQUIRE(far.size() == 6);
        const std::int64_t month = 30 * day_seconds;
        const std::vector<std::int64_t> ends{f.now,     f.now + month, f.now + month + 1,
                                             f.now - 1, f.now - month, f.now - month - 1};
        std::map<std::int64_t, std::uint64_t> at;  // end time -> order
        f.sb.call([&](sandbox::Server& s) {
            auto it = far.begin();
            for (std::int64_t end : ends) {
                s.service().data().orders.at(*it).end_time = end;
                at[end] = *it++;
            }
            return 0;
        });
        const auto in = [&](std::int64_t from, std::int64_t to) {
            return f.own([&](const sandbox::Order& o) {
                return backup_in(o, "us") && o.status == "Active" && o.end_time >= from &&
                       o.end_time <= to;
            });
        };

        jobs::SearchFilter within;
        within.status = {"Active"};
        within.expires_within = std::chrono::hours(24 * 30);
        RunOutput w =
            check_selection(f, within, TargetKind::backup_order, "us", in(f.now, f.now + month));
        const auto wids = w.target_ids();
        CHECK(wids.contains(at[f.now]));
        CHECK(wids.contains(at[f.now + month]));
        CHECK(!wids.contains(at[f.now + month + 1]));
        CHECK(!wids.contains(at[f.now - 1]));

        jobs::SearchFilter since;
        since.status = {"Active"};
        since.expired_since = std::chrono::hours(24 * 30);
        RunOutput e =
            check_selection(f, since, TargetKind::backup_order, "us", in(f.now - month, f.now));
        const auto eids = e.target_ids();
        CHECK(eids.contains(at[f.now]));
        CHECK(eids.contains(at[f.now - 1]));
        CHECK(eids.contains(at[f.now - month]));
        CHECK(!eids.contains(at[f.now - month - 1]));
        CHECK(!eids.contains(at[f.now + month]));
    }

    TEST_CASE(
        "pages that meet 429, 503, a closed connection or a cut body are retried: the same "
        "orders") {
        sandbox::Options options = selector_options(unix_now());
        for (auto [kind, rate] : {std::pair{sandbox::FaultKind::too_many_requests, 0.1},
                                  std::pair{sandbox::FaultKind::unavailable, 0.1},
                                  std::pair{sandbox::FaultKind::close_before, 0.1},
                                  std::pair{sandbox::FaultKind::truncate, 0.1}})
            options.faults.set_rate(kind, rate);
        options.faults.retry_after_seconds = 0;
        SelectorFixture f(options);
        f.attempts = 12;
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            check_selection(f, jobs::SearchFilter{}, TargetKind::backup_order, region,
                            f.own([&](const sandbox::Order& o) { return backup_in(o, region); }));
        }
        check_selection(f, jobs::SearchFilter{}, TargetKind::domain_order, "",
                        f.own([](const sandbox::Order& o) {
                            return o.kind == sandbox::OrderKind::domain && nixi_key(o.product_key);
                        }));
        // The faults did happen: some search requests were received but not applied.
        const auto search = f.counter(0, "backup.search");
        CHECK(search.received > search.applied);
    }

    TEST_CASE(
        "the selection is fixed before the first renew: orders leaving the window mid-run shift "
        "nothing") {
        SelectorFixture f;
        // Renewing moves an order out of the window, so a selection read while the batch runs
        // would skip orders of later pages (or repeat them); a fixed one renews each once.
        jobs::SearchFilter filter;
        filter.status = {"Active"};
        filter.expires_within = std::chrono::hours(24 * 400);
        const std::int64_t to = f.now + 400 * day_seconds;
        const auto expected = f.own([&](const sandbox::Order& o) {
            return backup_in(o, "us") && o.status == "Active" && o.end_time >= f.now &&
                   o.end_time <= to;
        });
        REQUIRE(expected.size() > 500);
        Job job;
        job.action = f.action("backup.renew", "us",
                              {{"months", std::int64_t{12}},
                               {"invoice-option", std::string("NoInvoice")},
                               {"auto-renew", false}});
        job.search = f.search(filter, TargetKind::backup_order);
        RunOutput out = f.run(std::move(job));
        CAPTURE(out.printed);
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.target_ids() == expected);
        CHECK(out.count("ok") == expected.size());
        const auto renewed = f.sb.call([&](sandbox::Server& s) {
            std::map<std::uint64_t, sandbox::Counter> counters;
            for (const auto& [key, c] : s.service().counters())
                if (key.second == "backup.renew") counters[key.first] = c;
            return counters;
        });
        CHECK(renewed.size() == expected.size());
        for (const auto& [id, c] : renewed) {
            CHECK(expected.contains(id));
            CHECK(c.received == 1);
            CHECK(c.applied == 1);
        }
    }
}

}  // namespace search_test
