// When the search's count (recsindb) and the entries it sends disagree, the run says so:
// RunReport::mismatch, count_mismatch in summary.json, a line in the output and exit 1.
// The sandbox's search is always consistent, so a scripted HTTPS server on 127.0.0.1 plays
// the API here with crafted pages; the selection and the run are the real ones.

#include "tests/integration/selectors/selectors_fixture.hpp"
#include "tests/support/scripted_tls_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <charconv>
#include <functional>

namespace mismatch_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;

namespace {

constexpr std::uint64_t first_id = 70'000'000;

// How many entries page `page` (from 1) sends.
using PageSizes = std::function<std::size_t(std::int64_t page)>;

std::int64_t page_of(const std::string& target) {
    const auto at = target.find("page-no=");
    if (at == std::string::npos) return 0;
    std::int64_t n = 0;
    const char* begin = target.data() + at + 8;
    std::from_chars(begin, target.data() + target.size(), n);
    return n;
}

// A search reply claiming `total` entries, with `sizes(page)` entries on the page; ids count
// from first_id + 500 * (page - 1).
std::string search_reply(std::int64_t page, std::uint64_t total, std::size_t on_page) {
    json::object reply;
    reply["recsonpage"] = std::to_string(on_page);
    reply["recsindb"] = std::to_string(total);
    for (std::size_t i = 0; i < on_page; ++i) {
        json::object e;
        const std::uint64_t id = first_id + 500 * static_cast<std::uint64_t>(page - 1) + i;
        e["orders.orderid"] = std::to_string(id);
        e["entity.description"] = "crafted" + std::to_string(id) + ".backup";
        e["entity.currentstatus"] = "Active";
        e["orders.endtime"] = "1900000000";
        reply[std::to_string(i + 1)] = std::move(e);
    }
    return json::serialize(reply);
}

// The body of the reply to search page `page` (from 1).
using PageBody = std::function<std::string(std::int64_t page)>;

// Pages of `total` entries, `sizes(page)` on each, as search_reply() makes them.
PageBody counted(std::uint64_t total, PageSizes sizes) {
    return [total, sizes](std::int64_t page) { return search_reply(page, total, sizes(page)); };
}

// The scripted server on its own thread, answering backup searches with crafted pages.
struct CraftedApi {
    // `failing_page` (when not 0) answers with the API's error instead.
    explicit CraftedApi(PageBody body, std::int64_t failing_page = 0)
        : guard(ioc.get_executor()), server(ioc) {
        server.respond_with([body, failing_page](const SeenRequest& r) {
            if (r.target.starts_with("/api/backup/us/search.json")) {
                const std::int64_t page = page_of(r.target);
                if (page == failing_page)
                    return Step::make(
                        Step::Kind::reply, 500,
                        R"({"status":"ERROR","message":"Invalid value for page-no"})");
                return Step::ok(body(page));
            }
            if (r.target.starts_with("/api/backup/us/details.json"))
                return Step::ok(
                    R"({"orderid":"1","currentstatus":"Active","endtime":"1900000000"})");
            return Step::status_code(404);
        });
        thread = std::thread([this] { ioc.run_for(120s); });
    }
    ~CraftedApi() { stop(); }
    // Stops the server and joins its thread; the requests it saw stay readable.
    void stop() {
        if (!thread.joinable()) return;
        boost::asio::post(ioc, [this] { server.stop(); });
        guard.reset();
        thread.join();
    }

    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard;
    ScriptedTlsServer server;
    std::thread thread;
};

struct MismatchRun {
    RunOutput out;
    std::vector<std::int64_t> pages_asked;
};

// Runs backup.details over a search of the crafted API (or, with `listing`, the backup.search
// action itself, which pages on one connection).
MismatchRun run_pages(PageBody pages, bool dry_run, std::int64_t failing_page = 0,
                      bool listing = false) {
    CraftedApi api(std::move(pages), failing_page);
    auto tls = engine::make_client_tls_context(
        {.ca_file = {}, .ca_pem = api.server.ca_pem(), .system_ca = false});
    const fs::path reports =
        fs::temp_directory_path() / ("rcbatch-mismatch-test-" + std::to_string(::getpid()));
    fs::remove_all(reports);

    auto action = std::make_shared<jobs::ActionSetup>();
    action->spec = jobs::find_action(listing ? "backup.search" : "backup.details");
    action->path = jobs::path_for(*action->spec, "us");
    action->auth_userid = "123456";
    action->api_key = "crafted-key-0123456789";
    action->flow.dry_run = dry_run;

    jobs::RunRequest request;
    request.job_name = "mismatch";
    request.action = action;
    request.batch.concurrency = 3;
    request.batch.rate = 0;
    request.batch.attempt_timeout = 5s;
    request.batch.order_deadline = 20s;
    request.batch.retry = {.attempts = 2, .base = 10ms, .max = 50ms};
    request.batch.endpoint = engine::Endpoint{"127.0.0.1", api.server.port(), "localhost"};
    request.batch.tls = &tls;
    request.batch.jitter_seed = 1;
    if (!listing)
        request.search = jobs::make_search_selector({}, jobs::TargetKind::backup_order, "us",
                                                    unix_now(), jobs::default_nixi_product_keys());
    request.max_orders = 1'000'000;
    request.reports = reports;
    request.progress.style = engine::ProgressStyle::quiet;
    request.dry_run = dry_run;
    auto printed = std::make_shared<std::ostringstream>();
    request.out = printed.get();

    MismatchRun result;
    RunResult report = run_bounded(std::move(request), 60s);
    result.out = read_run(std::move(report), printed->str(), dry_run);
    api.stop();
    for (const auto& r : api.server.requests())
        if (r.target.starts_with("/api/backup/us/search.json"))
            result.pages_asked.push_back(page_of(r.target));
    std::sort(result.pages_asked.begin(), result.pages_asked.end());
    std::error_code ignored;
    fs::remove_all(reports, ignored);
    return result;
}

MismatchRun run_against(std::uint64_t total, PageSizes sizes, bool dry_run,
                        std::int64_t failing_page = 0, bool listing = false) {
    return run_pages(counted(total, std::move(sizes)), dry_run, failing_page, listing);
}

void check_mismatch_reported(const RunOutput& out, const std::string& note) {
    CAPTURE(out.printed);
    CHECK(out.report.mismatch == note);
    CHECK(out.report.exit == ExitCode::orders_failed);
    CHECK(out.report.summary.count_mismatch == note);
    CHECK(out.printed.find(note) != std::string::npos);
}

}  // namespace

TEST_SUITE("selectors: count mismatch") {
    TEST_CASE(
        "a last page shorter than the count: exit 1, the disagreement named, the entries received "
        "run") {
        auto r = run_against(
            1200, [](std::int64_t page) -> std::size_t { return page < 3 ? 500 : 150; }, true);
        CHECK(r.pages_asked == std::vector<std::int64_t>{1, 2, 3});
        check_mismatch_reported(r.out, "the API counted 1200 orders but sent 1150");
        CHECK(r.out.targets.size() == 1150);
        CHECK(r.out.target_ids().size() == 1150);
        CHECK(r.out.records.size() == 1150);
    }

    TEST_CASE("an empty page in the middle: exit 1 even though every order that came was run") {
        auto r = run_against(
            1200,
            [](std::int64_t page) -> std::size_t { return page == 2   ? 0
                                                          : page == 1 ? 500
                                                                      : 200; },
            false);
        CHECK(r.pages_asked == std::vector<std::int64_t>{1, 2, 3});
        check_mismatch_reported(r.out, "the API counted 1200 orders but sent 700");
        CHECK(r.out.targets.size() == 700);
        CHECK(r.out.records.size() == 700);
        CHECK(r.out.count("ok") == 700);
    }

    TEST_CASE("more entries than the count is a disagreement too") {
        auto r = run_against(
            600, [](std::int64_t) -> std::size_t { return 500; }, true);
        CHECK(r.pages_asked == std::vector<std::int64_t>{1, 2});
        check_mismatch_reported(r.out, "the API counted 600 orders but sent 1000");
    }

    TEST_CASE("control: a consistent crafted search is not a mismatch") {
        auto r = run_against(
            1200, [](std::int64_t page) -> std::size_t { return page < 3 ? 500 : 200; }, true);
        CHECK(r.pages_asked == std::vector<std::int64_t>{1, 2, 3});
        CHECK(r.out.report.mismatch.empty());
        CHECK(r.out.report.exit == ExitCode::ok);
        CHECK(r.out.targets.size() == 1200);
        CHECK(r.out.report.summary.count_mismatch.empty());
    }

    TEST_CASE("a page that fails stops the run before any order: exit 1, nothing sent") {
        auto r = run_against(
            1200, [](std::int64_t page) -> std::size_t { return page < 3 ? 500 : 200; }, false, 2);
        CAPTURE(r.out.printed);
        CHECK(r.out.report.exit == ExitCode::orders_failed);
        CHECK(r.out.report.message ==
              "the search failed at page 2: Invalid value for page-no; nothing was sent");
        CHECK(r.out.records.empty());
        CHECK(!r.out.files.contains("results.jsonl"));
    }

    TEST_CASE("a listing action (backup.search) that gets fewer entries than counted: exit 1") {
        auto r = run_against(
            1200, [](std::int64_t page) -> std::size_t { return page == 1 ? 500 : 0; }, false, 0,
            true);
        CHECK(r.pages_asked == std::vector<std::int64_t>{1, 2});
        CHECK(r.out.records.size() == 500);
        CAPTURE(r.out.printed);
        CHECK(r.out.report.mismatch == "the API counted 1200 entries but sent 500");
        CHECK(r.out.report.exit == ExitCode::orders_failed);
        CHECK(!r.out.report.summary.count_mismatch.empty());
    }

    // Issue #19 case 10: pages that repeat the same 500 entries under recsindb 5000 gave 4,500
    // "duplicate" skips and exit 0; recsindb "-1" selected nothing, exit 0, no message.
    TEST_CASE(
        "pages that repeat the same entries cannot be trusted: stopped, exit 3, nothing run") {
        auto r = run_pages([](std::int64_t) { return search_reply(1, 5000, 500); }, false);
        CAPTURE(r.out.printed);
        CHECK(r.out.report.exit == ExitCode::aborted);
        CHECK(r.out.report.message.starts_with("the search's pages cannot be trusted: page "));
        CHECK(r.out.report.message.find(" repeats order " + std::to_string(first_id) +
                                        " of page 1; nothing was sent") != std::string::npos);
        CHECK(r.out.printed.find("repeats order") != std::string::npos);
        CHECK(r.out.records.empty());
        CHECK(!r.out.files.contains("results.jsonl"));
    }

    TEST_CASE("recsindb \"-1\": stopped with the count named, exit 3, nothing run") {
        auto r = run_pages(
            [](std::int64_t page) {
                std::string body = search_reply(page, 3, 3);
                const auto at = body.find("\"recsindb\":\"3\"");
                return body.replace(at, 14, "\"recsindb\":\"-1\"");
            },
            true);
        CAPTURE(r.out.printed);
        CHECK(r.out.report.exit == ExitCode::aborted);
        CHECK(r.out.report.message ==
              "the search's pages cannot be trusted: page 1 has '-1' recsindb, not a count; "
              "nothing was sent");
        CHECK(r.pages_asked == std::vector<std::int64_t>{1});
        CHECK(r.out.records.empty());
    }
}

}  // namespace mismatch_test
