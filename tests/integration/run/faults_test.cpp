// Each fault kind of the sandbox, acted out on orders chosen so that the sandbox's fault
// decision for each attempt is known in advance (decide_fault is pure): what is retried,
// what is never resent, and what the sandbox saw and applied.

#include "sandbox/faults.hpp"

#include "sandbox/api.hpp"
#include "tests/integration/run/run_fixture.hpp"

#include <algorithm>

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using sandbox::FaultKind;

namespace {

std::vector<jobs::CallParam> renew_params() {
    return {{"months", std::int64_t{12}},
            {"invoice-option", std::string("NoInvoice")},
            {"auto-renew", false}};
}

// Up to `n` of `candidates` whose attempts 1, 2, ... get exactly the faults of `pattern`.
std::vector<std::uint64_t> with_faults(const std::vector<std::uint64_t>& candidates,
                                       const sandbox::Options& o, std::string_view action,
                                       const std::vector<FaultKind>& pattern, std::size_t n) {
    std::vector<std::uint64_t> out;
    for (auto id : candidates) {
        bool match = true;
        for (std::size_t i = 0; i < pattern.size() && match; ++i)
            match = sandbox::decide_fault(o.faults, o.seed, id, action, i + 1).kind == pattern[i];
        if (match) out.push_back(id);
        if (out.size() == n) break;
    }
    REQUIRE_MESSAGE(out.size() == n, "too few orders with the fault pattern for " << action);
    return out;
}

sandbox::Options with_fault(FaultKind kind, double rate) {
    sandbox::Options o = run_options(11);
    o.sizes.backups_per_region = 600;
    o.faults.set_rate(kind, rate);
    o.faults.retry_after_seconds = 0;
    return o;
}

bool is_ambiguous_kind(FaultKind k) {
    return k != FaultKind::too_many_requests && k != FaultKind::unavailable;
}

}  // namespace

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
                    if (sandbox::decide_fault(options.faults, options.seed, id, "backup.details", attempt).kind !=
                        FaultKind::none)
                        return false;
                for (const char* list : {"actions.search-current", "actions.search-archived"})
                    for (std::uint64_t attempt : {1, 2})
                        if (sandbox::decide_fault(options.faults, options.seed, id, list, attempt).kind !=
                            FaultKind::none)
                            return false;
                return true;
            };
            std::vector<std::uint64_t> unread;
            for (auto id : region_us)
                if (std::find(reads.begin(), reads.end(), id) == reads.end() && clean_reads(id))
                    unread.push_back(id);
            const bool ambiguous = is_ambiguous_kind(kind);
            const bool applied_first = sandbox::applies_action(kind);

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
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + 2);
                    CHECK(c.received == 1);
                    CHECK(r.at("reconciled").as_bool() == true);
                    CHECK(text_of(r.at("message")).starts_with("applied (reconciled: action "));
                    CHECK(text_of(r.at("message")).ends_with("is in the archived actions)"));
                } else {
                    // Not applied, answer lost: neither the log nor the end time shows it, twice
                    // (before and after the settle delay); sent again.
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + (2 + 1) * 2 + 1);
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
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + 2);  // read, change, the log
                    CHECK(c.received == 1);
                    CHECK(r.at("reconciled").as_bool() == true);
                } else {
                    CHECK(r.at("attempts").to_number<int>() == 1 + 1 + 2 * 2 + 1);  // the log twice, resent
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
            if (line.find("\"event\":\"progress\"") != std::string::npos) last = json::parse(line).as_object();
        REQUIRE(last.has_value());
        CHECK(last->at("retries").to_number<int>() == 3);
        CHECK(last->at("retrying").to_number<int>() == 0);
        CHECK(out.summary.at("retries").to_number<int>() == 3);
    }

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
