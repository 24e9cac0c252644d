// Permanent API errors and faulted listings: not retried, the API's message kept; every page still
// read.

#include "tests/integration/run/faults_support.hpp"

namespace api_errors_test {

TEST_SUITE("run: faults") {
    TEST_CASE("permanent API errors are not retried and carry the API's message") {
        RunFixture f;
        const std::uint64_t missing = 99'999'999;
        REQUIRE(f.sb.call([&](sandbox::Server& s) { return s.order(missing) == nullptr; }));
        const std::uint64_t foreign = f.foreign_order(sandbox::OrderKind::backup, "us");
        REQUIRE(foreign != 0);
        const auto good = f.own_orders(active_backup("us"), 1);

        // The renew without preflight, so that its own request meets the errors.
        for (std::string action : {"backup.details", "backup.renew"}) {
            CAPTURE(action);
            auto out = f.run_ids(
                f.action(action, "us",
                         action == "backup.renew" ? renew_params() : std::vector<jobs::CallParam>{},
                         false),
                {missing, foreign, good[0]}, f.settings());
            CHECK(out.report.exit == ExitCode::orders_failed);
            check_complete_reports(out, 3);
            const auto& m = out.at(std::to_string(missing));
            CHECK(text_of(m.at("outcome")) == "api_error");
            CHECK(text_of(m.at("message")) == "No Entity found for Entityid: 99999999");
            CHECK(m.at("attempts").to_number<int>() == 1);
            CHECK(m.at("http_status").to_number<int>() == 500);
            const auto& o = out.at(std::to_string(foreign));
            CHECK(text_of(o.at("outcome")) == "api_error");
            CHECK(text_of(o.at("message")) == "You are not allowed to perform this action");
            CHECK(o.at("attempts").to_number<int>() == 1);
            CHECK(text_of(out.at(std::to_string(good[0])).at("outcome")) == "ok");
            CHECK(f.counter(missing, action).received == 1);
            CHECK(f.counter(foreign, action).received == 1);
            CHECK(f.counter(foreign, action).applied == 0);
            check_no_key(out, f.sb.api_key());
        }

        // With preflight, its read meets them first: the same messages, and no renew is sent.
        auto checked = f.run_ids(f.action("backup.renew", "us", renew_params()), {missing, foreign},
                                 f.settings());
        CHECK(text_of(checked.at(std::to_string(missing)).at("message")) ==
              "No Entity found for Entityid: 99999999");
        CHECK(text_of(checked.at(std::to_string(foreign)).at("message")) ==
              "You are not allowed to perform this action");
        CHECK(checked.count("api_error") == 2);
        CHECK(f.counter(missing, "backup.renew").received ==
              1);  // the one above, without preflight
        CHECK(f.counter(foreign, "backup.renew").received == 1);

        // A domain name the API does not know: the lookup's answer, once.
        auto names = f.run_names(f.action("domain.details"), {"no-such-domain.in"}, f.settings());
        const auto& n = names.at("no-such-domain.in");
        CHECK(text_of(n.at("outcome")) == "api_error");
        CHECK(text_of(n.at("message")) == "Website doesn't exist for no-such-domain.in");
        CHECK(n.at("attempts").to_number<int>() == 1);
        CHECK(names.report.exit == ExitCode::orders_failed);
    }

    TEST_CASE("a listing whose pages meet transient faults still gets every entry") {
        sandbox::Options options = with_fault(FaultKind::unavailable, 0.5);
        options.sizes.backups_per_region = 1234;  // three pages
        // The sandbox's requests for the pages, its decisions known: pick a seed that refuses
        // some page at least once.
        const auto requests_for_pages = [](const sandbox::Options& o) {
            std::uint64_t attempt = 1;
            for (int page = 0; page < 3; ++page, ++attempt)
                while (sandbox::decide_fault(o.faults, o.seed, 0, "backup.search", attempt).kind ==
                       FaultKind::unavailable)
                    ++attempt;
            return attempt - 1;
        };
        while (requests_for_pages(options) == 3) ++options.seed;
        RunFixture f(options);
        auto own = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::backup && o.region == "asia";
        });
        REQUIRE(own.size() > 1000);
        auto out = f.run_listing(f.action("backup.search", "asia"), f.settings());
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.report.mismatch.empty());
        check_complete_reports(out, own.size());
        CHECK(out.count("ok") == own.size());
        CHECK(f.counter(0, "backup.search").received == requests_for_pages(options));
    }
}

}  // namespace api_errors_test
