// Each fault kind of the sandbox, acted out on orders chosen so that the sandbox's fault
// decision for each attempt is known in advance (decide_fault is pure): what is retried,
// what is never resent, and what the sandbox saw and applied.

#include "tests/integration/run/faults_support.hpp"

namespace faults_test {

TEST_SUITE("run: faults") {
    TEST_CASE(
        "each fault kind: reads end ok after retries; a change is applied once: resent only when "
        "refused or shown not applied, else unknown") {
        const FaultKind kinds[] = {FaultKind::too_many_requests,
                                   FaultKind::unavailable,
                                   FaultKind::close_before,
                                   FaultKind::close_after,
                                   FaultKind::bad_gateway,
                                   FaultKind::truncate,
                                   FaultKind::stall,
                                   FaultKind::server_error_html};
        for (FaultKind kind : kinds) {
            CAPTURE(sandbox::to_string(kind));
            // Enough orders whose reads (preflight, the action log, the re-reads) stay clean.
            sandbox::Options options = with_fault(kind, 0.3);
            options.sizes.backups_per_region = 600;
            RunFixture f(options);
            auto settings = f.settings();
            settings.attempt_timeout = 300ms;  // a stalled reply waits far longer
            const auto region_us = f.own_orders(active_backup("us"));

            // Read-only: one fault then success, two faults then success, no fault.
            auto once =
                with_faults(region_us, options, "backup.details", {kind, FaultKind::none}, 2);
            auto twice =
                with_faults(region_us, options, "backup.details", {kind, kind, FaultKind::none}, 1);
            auto clean = with_faults(region_us, options, "backup.details", {FaultKind::none}, 1);
            std::vector<std::uint64_t> reads = once;
            reads.push_back(twice[0]);
            reads.push_back(clean[0]);
            auto read = f.run_ids(f.action("backup.details"), reads, settings);
            CAPTURE(read.jsonl);
            CHECK(read.report.exit == ExitCode::ok);
            check_complete_reports(read, reads.size());
            CHECK(read.count("ok") == reads.size());
            for (auto id : once) {
                CHECK(read.at(std::to_string(id)).at("attempts").to_number<int>() == 2);
                CHECK(f.counter(id, "backup.details").received == 2);
            }
            CHECK(read.at(std::to_string(twice[0])).at("attempts").to_number<int>() == 3);
            CHECK(read.at(std::to_string(clean[0])).at("attempts").to_number<int>() == 1);
            CHECK(read.summary.at("attempts").to_number<int>() == 2 + 2 + 3 + 1);
            CHECK(read.summary.at("retries").to_number<int>() == 1 + 1 + 2);
            check_no_key(read, f.sb.api_key());

            // Mutating, as `rcbatch run` does it: preflight reads the order, then the change's
            // first attempt is faulted (a second would succeed). The order's reads (preflight,
            // the action log's two lists and the order twice after a lost answer) are left
            // clean so the counts are exact.
            const auto clean_reads = [&](std::uint64_t id) {
                for (std::uint64_t attempt : {1, 2, 3})
                    if (sandbox::decide_fault(options.faults, options.seed, id, "backup.details",
                                              attempt)
                            .kind != FaultKind::none)
                        return false;
                for (const char* list : {"actions.search-current", "actions.search-archived"})
                    for (std::uint64_t attempt : {1, 2})
                        if (sandbox::decide_fault(options.faults, options.seed, id, list, attempt)
                                .kind != FaultKind::none)
                            return false;
                return true;
            };
            std::vector<std::uint64_t> unread;
            for (auto id : region_us)
                if (std::find(reads.begin(), reads.end(), id) == reads.end() && clean_reads(id))
                    unread.push_back(id);
            const bool ambiguous = is_ambiguous_kind(kind);
            const bool applied_first = sandbox::applies_action(kind);
            // The action log of an order in doubt comes from the repeat guard's looks at the
            // account's lists (batched evidence), which are not the order's own calls: none of
            // the lists' calls runs out of attempts here, so every look is read.
            REQUIRE(account_lists_readable(options, settings.retry.attempts, 200));
            const int log_reads = 0;  // the order's own requests for its action log, each time

            // backup.renew: a lost answer is reconciled from the action log, then the end time.
            auto renew = with_faults(unread, options, "backup.renew", {kind, FaultKind::none}, 3);
            std::map<std::uint64_t, std::int64_t> end_before;
            for (auto id : renew) end_before[id] = f.order(id).end_time;
            auto changed =
                f.run_ids(f.action("backup.renew", "us", renew_params()), renew, settings);
            CAPTURE(changed.jsonl);
            check_complete_reports(changed, renew.size());
            check_no_key(changed, f.sb.api_key());
            CHECK(changed.report.exit == ExitCode::ok);
            for (auto id : renew) {
                CAPTURE(id);
                const auto& r = changed.at(std::to_string(id));
                const auto c = f.counter(id, "backup.renew");
                CHECK(text_of(r.at("outcome")) == "ok");
                CHECK(c.applied == 1);  // exactly once, whatever the fault
                CHECK(f.order(id).end_time == sandbox::add_months(end_before[id], 12));
                if (!ambiguous) {
                    // Refused (429/503): nothing was done, so it is sent again.
                    CHECK(r.at("attempts").to_number<int>() == 1 + 2);
                    CHECK(c.received == 2);
                    CHECK(r.at("reconciled").as_bool() == false);
                } else if (applied_first) {
                    // Applied, answer lost: the archived actions list it; not resent.
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + log_reads);
                    CHECK(c.received == 1);
                    CHECK(r.at("reconciled").as_bool() == true);
                    CHECK(text_of(r.at("message")).starts_with("applied (reconciled: action "));
                    CHECK(text_of(r.at("message")).ends_with("is in the archived actions)"));
                } else {
                    // Not applied, answer lost: neither the log nor the end time shows it, twice
                    // (before and after the settle delay); sent again.
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + (log_reads + 1) * 2 + 1);
                    CHECK(c.received == 2);
                    CHECK(r.at("reconciled").as_bool() == false);
                }
            }

            // backup.install-agent: only the action log can show an install; it decides alone.
            std::vector<std::uint64_t> unlinked;
            for (auto id : unread)
                if (std::find(renew.begin(), renew.end(), id) == renew.end() &&
                    f.order(id).hosting_order_id == 0)
                    unlinked.push_back(id);
            auto install =
                with_faults(unlinked, options, "backup.install-agent", {kind, FaultKind::none}, 2);
            const std::int64_t hosting = 41'234'567;
            auto installed =
                f.run_ids(f.action("backup.install-agent", "us", {{"hosting-order-id", hosting}}),
                          install, settings);
            CAPTURE(installed.jsonl);
            check_complete_reports(installed, install.size());
            check_no_key(installed, f.sb.api_key());
            CHECK(installed.report.exit == ExitCode::ok);
            for (auto id : install) {
                CAPTURE(id);
                const auto& r = installed.at(std::to_string(id));
                const auto c = f.counter(id, "backup.install-agent");
                CHECK(text_of(r.at("outcome")) == "ok");
                CHECK(c.applied == 1);
                if (!ambiguous) {
                    CHECK(r.at("attempts").to_number<int>() == 1 + 2);
                    CHECK(c.received == 2);
                } else if (applied_first) {
                    CHECK(r.at("attempts").to_number<int>() ==
                          1 + 1 + log_reads);  // read, change, log
                    CHECK(c.received == 1);
                    CHECK(r.at("reconciled").as_bool() == true);
                } else {
                    CHECK(r.at("attempts").to_number<int>() ==
                          1 + 1 + log_reads * 2 + 1);  // the log twice, resent
                    CHECK(c.received == 2);
                }
                CHECK(f.order(id).agent_installs == static_cast<int>(c.applied));
            }
        }
    }

    TEST_CASE(
        "nixi.resend: a 503 is resent; a lost answer is unknown, or resent with repeat-resend") {
        for (FaultKind kind : {FaultKind::unavailable, FaultKind::close_after}) {
            CAPTURE(sandbox::to_string(kind));
            sandbox::Options options = with_fault(kind, 0.5);
            options.sizes.domains = 400;
            RunFixture f(options);
            auto pending = f.own_orders([](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::domain && o.status == "Active" &&
                       (o.email_verification == "Pending" || o.ekyc_verification == "Pending") &&
                       o.ekyc_verification != "Pending Partner Confirmation";
            });
            std::erase_if(pending, [&](std::uint64_t id) {  // preflight's read and the re-read
                return sandbox::decide_fault(options.faults, options.seed, id, "domain.details", 1)
                               .kind != FaultKind::none ||
                       sandbox::decide_fault(options.faults, options.seed, id, "domain.details", 2)
                               .kind != FaultKind::none;
            });
            auto ids = with_faults(pending, options, "nixi.resend", {kind, FaultKind::none}, 2);
            for (bool repeat : {false, true}) {
                CAPTURE(repeat);
                const auto id = ids[repeat ? 1 : 0];
                auto action = f.action("nixi.resend");
                action->flow.repeat_resend = repeat;
                auto out = f.run_ids(action, {id}, f.settings());
                const auto& r = out.at(std::to_string(id));
                const auto c = f.counter(id, "nixi.resend");
                if (kind == FaultKind::unavailable) {  // refused: sent again, one e-mail
                    CHECK(text_of(r.at("outcome")) == "ok");
                    CHECK(c.received == 2);
                    CHECK(c.applied == 1);
                } else if (!repeat) {  // e-mailed, answer lost: nothing can tell, not resent
                    CHECK(text_of(r.at("outcome")) == "unknown");
                    CHECK(c.received == 1);
                    CHECK(c.applied == 1);
                    CHECK(out.report.exit == ExitCode::orders_failed);
                } else {  // repeat-resend: a second e-mail is the accepted price
                    CHECK(text_of(r.at("outcome")) == "ok");
                    CHECK(c.received == 2);
                    CHECK(c.applied == 2);
                }
                CHECK(f.order(id).resends.size() == c.applied);
            }
        }
    }

    TEST_CASE(
        "a fault on every attempt: read-only ends after the last attempt, a mutating one after the "
        "first "
        "ambiguous one") {
        const sandbox::Options options = with_fault(FaultKind::bad_gateway, 1.0);
        RunFixture f(options);
        auto ids = f.own_orders(active_backup("asia"), 2);
        auto settings = f.settings();
        auto read = f.run_ids(f.action("backup.details", "asia"), {ids[0]}, settings);
        const auto& r = read.at(std::to_string(ids[0]));
        CHECK(text_of(r.at("outcome")) == "ambiguous");
        CHECK(r.at("attempts").to_number<int>() == settings.retry.attempts);
        CHECK(r.at("http_status").to_number<int>() == 502);
        CHECK(f.counter(ids[0], "backup.details").received ==
              static_cast<std::uint64_t>(settings.retry.attempts));
        CHECK(read.report.exit == ExitCode::orders_failed);

        RunFixture g(with_fault(FaultKind::unavailable, 1.0));
        auto gids = g.own_orders(active_backup("asia"), 1);
        const auto before = g.order(gids[0]).end_time;
        // Without preflight (whose read would meet the 503s first), to see the renew's own
        // attempts.
        auto renew =
            g.run_ids(g.action("backup.renew", "asia", renew_params(), false), gids, g.settings());
        const auto& rr = renew.at(std::to_string(gids[0]));
        CHECK(text_of(rr.at("outcome")) == "transient");
        CHECK(rr.at("attempts").to_number<int>() == settings.retry.attempts);
        CHECK(rr.at("http_status").to_number<int>() == 503);
        CHECK(g.counter(gids[0], "backup.renew").applied == 0);
        CHECK(g.order(gids[0]).end_time == before);
        CHECK(renew.report.exit == ExitCode::orders_failed);
    }

    TEST_CASE("Retry-After: within the cap the order is retried; beyond it the retries end") {
        sandbox::Options options = with_fault(FaultKind::too_many_requests, 0.5);
        options.faults.retry_after_seconds = 1;
        RunFixture f(options);
        auto candidates = f.own_orders(active_backup("us"));
        auto ids = with_faults(candidates, options, "backup.details",
                               {FaultKind::too_many_requests, FaultKind::none}, 2);

        auto settings = f.settings();
        settings.retry.max = 2s;  // the 1 s the server asks for is honoured
        auto within = f.run_ids(f.action("backup.details"), {ids[0]}, settings);
        CHECK(text_of(within.at(std::to_string(ids[0])).at("outcome")) == "ok");
        CHECK(within.at(std::to_string(ids[0])).at("attempts").to_number<int>() == 2);

        settings.retry.max = 100ms;  // the server asks for more than we would ever wait
        auto beyond = f.run_ids(f.action("backup.details"), {ids[1]}, settings);
        const auto& r = beyond.at(std::to_string(ids[1]));
        CHECK(text_of(r.at("outcome")) == "transient");
        CHECK(r.at("attempts").to_number<int>() == 1);
        CHECK(r.at("http_status").to_number<int>() == 429);
        CHECK(f.counter(ids[1], "backup.details").received == 1);
        CHECK(beyond.report.exit == ExitCode::orders_failed);
    }

    TEST_CASE("progress counts the retries as they happen") {
        sandbox::Options options = with_fault(FaultKind::unavailable, 0.5);
        RunFixture f(options);
        auto ids = with_faults(f.own_orders(active_backup("us")), options, "backup.details",
                               {FaultKind::unavailable, FaultKind::none}, 3);
        f.progress.style = engine::ProgressStyle::lines;
        f.progress.format = engine::LogFormat::json;
        auto out = f.run_ids(f.action("backup.details"), ids, f.settings());
        CHECK(out.count("ok") == ids.size());
        // The last progress line is the final state: every retry counted, none in flight.
        std::optional<json::object> last;
        std::istringstream lines(out.printed);
        for (std::string line; std::getline(lines, line);)
            if (line.find("\"event\":\"progress\"") != std::string::npos)
                last = json::parse(line).as_object();
        REQUIRE(last.has_value());
        CHECK(last->at("retries").to_number<int>() == 3);
        CHECK(last->at("retrying").to_number<int>() == 0);
        CHECK(out.summary.at("retries").to_number<int>() == 3);
    }
}

}  // namespace faults_test
