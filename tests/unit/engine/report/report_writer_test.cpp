#include "engine/report/report_writer.hpp"

#include "tests/support/file_size_limit.hpp"
#include "tests/support/files.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace report_writer_test {

using namespace rcbatch::engine;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "rcbatch-reports-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
};

using rcbatch::test::slurp;

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// 2019-10-26T13:34:52.250Z
const auto t0 = std::chrono::system_clock::time_point(1572096892250ms);

OrderResult sample(std::uint64_t seq, Outcome outcome, int attempts,
                   std::chrono::milliseconds latency) {
    OrderResult r;
    r.seq = seq;
    r.target = "91234567";
    r.order_id = "91234567";
    r.action = "backup.renew";
    r.outcome = outcome;
    r.http_status = 200;
    r.message = "";
    r.fields = json::object{{"eaqid", "555"}, {"invoiceid", 777}};
    r.attempts = attempts;
    r.retries = std::max(0, attempts - 1);  // one call per order
    r.latency = latency;
    r.started = t0;
    r.finished = t0 + latency;
    return r;
}

}  // namespace

TEST_SUITE("report_writer") {
    TEST_CASE("ISO-8601 UTC") {
        CHECK(iso8601_utc(t0) == "2019-10-26T13:34:52Z");
        CHECK(iso8601_utc(t0, true) == "2019-10-26T13:34:52.250Z");
        CHECK(iso8601_utc(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00Z");
    }

    TEST_CASE("run folders are <base>/<job>/<UTC time>, unique within one second") {
        TempDir tmp;
        const fs::path a = create_run_dir(tmp.path / "reports", "renew-backups", t0);
        CHECK(a == tmp.path / "reports" / "renew-backups" / "20191026T133452Z");
        CHECK(fs::is_directory(a));
        const fs::path b = create_run_dir(tmp.path / "reports", "renew-backups", t0);
        CHECK(b == tmp.path / "reports" / "renew-backups" / "20191026T133452Z-2");
        CHECK(create_run_dir(tmp.path / "reports", "renew-backups", t0).filename() ==
              "20191026T133452Z-3");
        for (const char* bad : {"", ".", "..", "a/b", "../x"}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(create_run_dir(tmp.path, bad, t0), std::invalid_argument);
        }
    }

    TEST_CASE("an unwritable base is a clear one-line error") {
        TempDir tmp;
        if (::geteuid() == 0) return;  // root writes anywhere: nothing to test
        fs::permissions(tmp.path, fs::perms::owner_read | fs::perms::owner_exec);
        try {
            create_run_dir(tmp.path / "reports", "job", t0);
            FAIL("no error");
        } catch (const ReportError& e) {
            const std::string what = e.what();
            CAPTURE(what);
            CHECK(what.find("cannot create report folder") != std::string::npos);
            CHECK(what.find((tmp.path / "reports").string()) != std::string::npos);
            CHECK(what.find('\n') == std::string::npos);
        }
    }

    TEST_CASE("a file in the way of the base is a clear error too") {
        TempDir tmp;
        std::ofstream(tmp.path / "reports") << "x";
        try {
            create_run_dir(tmp.path / "reports", "job", t0);
            FAIL("no error");
        } catch (const ReportError& e) {
            const std::string what = e.what();
            CAPTURE(what);
            CHECK(what.starts_with("cannot create report folder " +
                                   (tmp.path / "reports" / "job").string() + ": "));
            CHECK(what.find('\n') == std::string::npos);
        }
    }

    TEST_CASE("one JSON object per record with every column") {
        OrderResult r = sample(3, Outcome::api_error, 1, 1234ms);
        r.message = "No Entity found for Entityid: 42";
        r.http_status = 500;
        const json::object o = to_json(r);
        CHECK(
            json::serialize(o) ==
            R"({"seq":3,"order":"91234567","target":"91234567","action":"backup.renew",)"
            R"("outcome":"api_error","http_status":500,"message":"No Entity found for Entityid: 42",)"
            R"("fields":{"eaqid":"555","invoiceid":777},"attempts":1,"reconciled":false,)"
            R"("latency_ms":1234,"started":"2019-10-26T13:34:52.250Z",)"
            R"("finished":"2019-10-26T13:34:53.484Z"})");
        OrderResult not_run;
        not_run.target = "x.in";
        const json::object n = to_json(not_run);
        CHECK(n.at("order").is_null());
        CHECK(n.at("started").is_null());
        CHECK(n.at("outcome") == "not_run");
    }

    TEST_CASE("CSV fields are quoted as RFC 4180 says") {
        struct Case {
            const char* in;
            const char* out;
        };
        for (const Case& c : std::vector<Case>{{"plain", "plain"},
                                               {"", ""},
                                               {"a,b", "\"a,b\""},
                                               {"say \"hi\"", "\"say \"\"hi\"\"\""},
                                               {"two\nlines", "\"two\nlines\""},
                                               {"cr\r", "\"cr\r\""},
                                               {"semi;colon", "semi;colon"}}) {
            CAPTURE(c.in);
            CHECK(csv_field(c.in) == c.out);
        }
    }

    TEST_CASE("CSV header and rows: fixed columns, named field columns, then all fields") {
        const std::vector<std::string> cols = {"eaqid", "invoiceid", "endtime"};
        CHECK(csv_header(cols) ==
              "seq,order,target,action,outcome,http_status,message,attempts,reconciled,latency_ms,"
              "started,finished,eaqid,invoiceid,endtime,fields\r\n");
        OrderResult r = sample(0, Outcome::ok, 2, 50ms);
        r.message = "done, \"really\"";
        r.reconciled = true;
        CHECK(csv_row(r, cols) ==
              "0,91234567,91234567,backup.renew,ok,200,\"done, \"\"really\"\"\",2,true,50,"
              "2019-10-26T13:34:52.250Z,2019-10-26T13:34:52.300Z,555,777,,"
              "\"{\"\"eaqid\"\":\"\"555\"\",\"\"invoiceid\"\":777}\"\r\n");
    }

    TEST_CASE("the writer streams both files, flushed per record, and writes the summary") {
        TempDir tmp;
        ReportWriter writer(tmp.path, {"eaqid"});
        writer.write(sample(0, Outcome::ok, 1, 100ms));
        // flushed: readable before the writer is done
        CHECK(lines(slurp(tmp.path / "results.jsonl")).size() == 1);
        CHECK(lines(slurp(tmp.path / "results.csv")).size() == 2);
        writer.write(sample(1, Outcome::ok, 3, 300ms));
        OrderResult failed = sample(2, Outcome::api_error, 1, 200ms);
        failed.message = "line1\nline2";
        writer.write(failed);
        OrderResult not_run;
        not_run.seq = 3;
        not_run.target = "91234570";
        writer.write(not_run);

        RunInfo info;
        info.started = t0;
        info.finished = t0 + 2s;
        info.wall = 2000ms;
        info.connections_opened = 2;
        info.extra = json::object{{"job", "renew"},
                                  {"action", "backup.renew"},
                                  {"stop_reason", "completed"},
                                  {"orders", "overridden"}};
        const rcbatch::engine::RunSummary typed = writer.finish(info);
        const json::object& summary = typed.json;

        const auto jsonl = lines(slurp(tmp.path / "results.jsonl"));
        REQUIRE(jsonl.size() == 4);
        for (const auto& line : jsonl) CHECK(json::parse(line).is_object());
        CHECK(json::parse(jsonl[2]).at("message") == "line1\nline2");
        const std::string csv = slurp(tmp.path / "results.csv");
        // Spreadsheet-safe by default (engine/text/csv_cells.hpp): the newline escaped, not quoted.
        CHECK(csv.find(",line1\\x0aline2,") != std::string::npos);

        const json::value on_disk = json::parse(slurp(tmp.path / "summary.json"));
        CHECK(on_disk == json::value(summary));
        CHECK_FALSE(fs::exists(tmp.path / "summary.json.tmp"));
        CHECK(summary.at("job") == "renew");
        CHECK(summary.at("stop_reason") == "completed");
        CHECK(summary.at("orders") == 4);  // computed keys win over the caller's
        CHECK(summary.at("outcomes").at("ok") == 2);
        CHECK(summary.at("outcomes").at("api_error") == 1);
        CHECK(summary.at("outcomes").at("not_run") == 1);
        CHECK(summary.at("outcomes").at("unknown") == 0);
        CHECK(summary.at("failed") == 2);
        CHECK(summary.at("attempts") == 5);
        CHECK(summary.at("retries") == 2);
        CHECK(summary.at("wall_time_ms") == 2000);
        CHECK(summary.at("orders_per_second").as_double() == doctest::Approx(1.5));
        CHECK(summary.at("connections_opened") == 2);
        CHECK(summary.at("latency_us").at("max") == 300000);
        const auto p50 = summary.at("latency_us").at("p50").as_int64();
        CHECK(std::abs(p50 - 200000) <= 2000);
        CHECK(summary.at("started") == "2019-10-26T13:34:52.250Z");
        CHECK(summary.at("reports").as_string() == tmp.path.c_str());

        // The one reader gives the same figures as the object written.
        CHECK(typed.job == "renew");
        CHECK(typed.stopped());
        CHECK(typed.orders == 4);
        CHECK(typed.count(Outcome::ok) == 2);
        CHECK(typed.count(Outcome::not_run) == 1);
        CHECK(typed.failed == 2);
        CHECK(typed.attempts == 5);
        CHECK(typed.retries == 2);
        CHECK(typed.wall_time_ms == 2000u);
        CHECK(typed.orders_per_second == doctest::Approx(1.5));
        CHECK(typed.connections_opened == 2);
        REQUIRE(typed.latency_us.has_value());
        CHECK(typed.latency_us->max == 300000);
        CHECK(typed.started == "2019-10-26T13:34:52.250Z");
        CHECK(typed.outcomes_json() == summary.at("outcomes").as_object());

        const std::string text = summary_text(typed);
        CAPTURE(text);
        CHECK(text.find("renew (backup.renew)") != std::string::npos);
        CHECK(text.find("stopped: completed") != std::string::npos);
        CHECK(text.find("ok 2") != std::string::npos);
        CHECK(text.find("api_error 1") != std::string::npos);
        CHECK(text.find("unknown") == std::string::npos);  // zero outcomes are left out
        CHECK(text.find("(2 retries)") != std::string::npos);
        CHECK(text.find("1.5 orders/s") != std::string::npos);
        CHECK(text.find("p50 200 ms") != std::string::npos);
        CHECK(text.find(tmp.path.string()) != std::string::npos);
        CHECK(std::count(text.begin(), text.end(), '\n') <= 8);
    }

    TEST_CASE("append mode continues the files without a second CSV header") {
        TempDir tmp;
        {
            ReportWriter w(tmp.path, {});
            w.write(sample(0, Outcome::ok, 1, 1ms));
        }
        {
            ReportWriter w(tmp.path, {}, true);
            w.write(sample(1, Outcome::ok, 1, 1ms));
        }
        CHECK(lines(slurp(tmp.path / "results.jsonl")).size() == 2);
        const auto csv = lines(slurp(tmp.path / "results.csv"));
        REQUIRE(csv.size() == 3);
        CHECK(csv[0].starts_with("seq,"));
        CHECK(csv[2].starts_with("1,"));
    }

    TEST_CASE("a full disk is a clear one-line error, not lost") {
        TempDir tmp;
        ReportWriter writer(tmp.path, {});
        const rcbatch::test::FileSizeLimit full_disk(0);
        try {
            writer.write(sample(0, Outcome::ok, 1, 1ms));
            FAIL("no error");
        } catch (const ReportError& e) {
            const std::string what = e.what();
            CAPTURE(what);
            CHECK(what.find("cannot write") != std::string::npos);
            CHECK(what.find("results.jsonl") != std::string::npos);
            CHECK(what.find("File too large") != std::string::npos);
        }
    }

    TEST_CASE("a missing run folder is a clear error at open") {
        TempDir tmp;
        CHECK_THROWS_WITH_AS(ReportWriter(tmp.path / "nope", {}), doctest::Contains("cannot open"),
                             ReportError);
    }

    TEST_CASE("tally counts and retries") {
        Tally t;
        t.add(sample(0, Outcome::ok, 1, 10ms));
        t.add(sample(1, Outcome::unknown, 4, 10ms));
        t.add(sample(2, Outcome::skipped, 0, 0ms));
        CHECK(t.orders() == 3);
        CHECK(t.count(Outcome::ok) == 1);
        CHECK(t.count(Outcome::unknown) == 1);
        CHECK(t.count(Outcome::skipped) == 1);
        CHECK(t.failed() == 1);
        CHECK(t.attempts() == 5);
        CHECK(t.retries() == 3);
        CHECK(t.latency().count() == 2);  // the skipped order was never attempted
    }

    TEST_CASE("an order of two calls without a repeat has no retries") {
        Tally t;
        OrderResult r = sample(0, Outcome::ok, 2, 10ms);  // a domain-name lookup, then the action
        r.retries = 0;
        t.add(r);
        CHECK(t.attempts() == 2);
        CHECK(t.retries() == 0);
    }
}

}  // namespace report_writer_test
