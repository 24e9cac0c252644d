// `rcbatch serve` against path traversal, through the built binary: targets sent raw (never
// normalised by the client) that climb out of a run folder, encoded once or twice, with
// backslashes, NULs or overlong UTF-8, or that name a file of the folder not in the served list,
// are each answered 4xx with no byte of the file; a run folder, its job's folder or one of its
// files replaced by a symbolic link is not followed, for a download or for the pages.

#include "tests/e2e/serve/serve_fixture.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace traversal_test {

namespace fs = std::filesystem;
using rcbatch::test::http_get;
using rcbatch::test::LedgerWithRuns;
using rcbatch::test::raw_exchanges;
using rcbatch::test::raw_request;
using rcbatch::test::RawSend;
using rcbatch::test::slurp;

namespace {

const std::string marker = "PLANTED-MARKER-7f3a9c";

// The first `n` bytes of `file`, a sample of its content no answer may hold.
std::string sample_of(const fs::path& file, std::size_t n = 48) {
    const std::string text = slurp(file);
    REQUIRE(text.size() >= n);
    return text.substr(0, n);
}

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

TEST_SUITE("e2e: rcbatch serve against path traversal") {
    TEST_CASE("a target that climbs out, is encoded or names an unlisted file gets 4xx, no file") {
        LedgerWithRuns ledger;
        const fs::path folder = ledger.renew("renew-three", rcbatch::test::active_us_backups(3));
        auto serve = rcbatch::test::start_serve(ledger.env);

        // The control: the route serves a listed file, byte for byte.
        const auto csv = http_get(serve.port, "/run/1/files/results.csv");
        REQUIRE(csv.status == 200);
        CHECK(csv.body == slurp(folder / "results.csv"));
        CHECK(csv.header("Content-Disposition").starts_with("attachment"));

        const std::string passwd = slurp("/etc/passwd");
        REQUIRE(passwd.starts_with("root:"));
        const std::string journal = sample_of(folder / "journal.jsonl");
        REQUIRE(fs::exists(folder / "report.html"));
        const std::string state_dir = ledger.env.at("RCBATCH_STATE_DIR");

        const std::vector<std::string> targets{
            "/run/1/files/../../../../etc/passwd",
            "/run/1/files/../../../../../../../../../../etc/passwd",
            "/run/1/files/results.csv/../../../../../etc/passwd",
            "/run/1/files/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/run/1/files/.%2e/.%2e/.%2e/.%2e/etc/passwd",
            "/run/1/files/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/run/1/files/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/run/1/files/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/run/1/files/%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd",
            "/run/1/files/%25252e%25252e%25252fetc%25252fpasswd",
            "/run/1/files/%2Fetc%2Fpasswd",
            "/run/1/files/%2fetc%2fpasswd",
            "/run/1/files//etc/passwd",
            "/run/1/files/..\\..\\..\\..\\etc\\passwd",
            "/run/1/files/..%5c..%5c..%5c..%5cetc%5cpasswd",
            "/run/1/files/%5cetc%5cpasswd",
            "/run/1/files/results.csv%00",
            "/run/1/files/%00/../../../../etc/passwd",
            "/run/1/files/journal.jsonl%00results.csv",
            "/run/1/files/%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
            "/run/1/files/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
            "/run/1/files/%e0%80%ae%e0%80%ae%e0%80%afetc%e0%80%afpasswd",
            "/run/1/files/%f0%80%80%ae%f0%80%80%ae/etc/passwd",
            "/run/1/files/%u002e%u002e%u2215etc%u2215passwd",
            "/run/1/files/%ef%bc%8e%ef%bc%8e%e2%88%95etc%e2%88%95passwd",
            "/run/1/files/journal.jsonl",
            "/run/1/files/./journal.jsonl",
            "/run/1/files/.%2fjournal.jsonl",
            "/run/1/files/report.html",
            "/run/1/files/targets.jsonl",
            "/run/1/files/.lock",
            "/run/1/files/..",
            "/run/1/files/.",
            "/run/1/files/%2e%2e",
            "/run/1/files/results.csv/..",
            "/run/..%2f..%2f..%2f..%2fetc/files/passwd",
            "/run/1%2f..%2f..%2f..%2f..%2fetc/files/passwd",
            "/run/0/files/results.csv",
            "/run/-1/files/results.csv",
            "/run/99999/files/results.csv",
            "/run/1/files/" + state_dir + "/ledger",
            "/run/1/files/" + fs::path(state_dir).lexically_relative("/").string() + "/ledger",
            "/static/../../../../etc/passwd",
            "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/static/rcbatch.css/../../../../etc/passwd",
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "//etc/passwd",
            "/etc/passwd",
            "http://127.0.0.1/../../../../etc/passwd",
            "file:///etc/passwd",
            "*",
            "../../../../etc/passwd",
            "\\..\\..\\..\\etc\\passwd",
        };
        std::vector<RawSend> sends;
        for (const std::string& t : targets) sends.push_back(RawSend{raw_request("GET", t)});
        // A NUL and a raw control byte in the request line itself.
        sends.push_back(RawSend{std::string("GET /run/1/files/results.csv\0/../../etc/passwd", 46) +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"});
        sends.push_back(
            RawSend{"GET /run/1/files/\x01../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Connection: close\r\n\r\n"});
        const auto answers = raw_exchanges(serve.port, sends, 4);
        for (std::size_t i = 0; i < sends.size(); ++i) {
            CAPTURE(sends[i].bytes.substr(0, 120));
            const auto& ex = answers[i];
            CAPTURE(ex.end);
            CHECK_FALSE(ex.timed_out);
            // An answer, or (for bytes that are no request) a close without one.
            REQUIRE((ex.responses.size() == 1 || ex.closed));
            if (ex.responses.empty()) continue;
            const auto& r = ex.responses[0];
            CAPTURE(r.body.substr(0, 300));
            CHECK(r.status >= 400);
            CHECK(r.status < 500);
            CHECK(r.body.find("root:") == std::string::npos);
            CHECK(r.body.find(passwd.substr(0, 20)) == std::string::npos);
            CHECK(r.body.find(journal) == std::string::npos);
            CHECK(r.body.find("<script") == std::string::npos);  // report.html's
            CHECK(r.body.find("SQLite format") == std::string::npos);
            CHECK_FALSE(r.has_header("Content-Disposition"));
        }
        CHECK(serve.process->wait(std::chrono::milliseconds(0)) == std::nullopt);
    }

    TEST_CASE("a run folder, its job's folder or a file replaced by a symbolic link is refused") {
        LedgerWithRuns ledger;
        const fs::path folder = ledger.renew("renew-three", rcbatch::test::active_us_backups(3));
        auto serve = rcbatch::test::start_serve(ledger.env);
        REQUIRE(http_get(serve.port, "/run/1/files/results.csv").status == 200);

        // A folder holding the files a run has, each with the marker.
        const fs::path planted = ledger.tmp.path / "planted";
        fs::create_directories(planted);
        for (const char* name : {"results.csv", "results.jsonl", "summary.json", "plan.csv"})
            write(planted / name, "order-id,outcome,message\n1," + marker + "," + marker + "\n");

        const auto check_refused = [&](std::string_view why) {
            CAPTURE(why);
            const auto page = http_get(serve.port, "/run/1");
            CAPTURE(page.body.substr(0, 2000));
            CHECK(page.status == 200);
            CHECK(page.body.find("not shown") != std::string::npos);
            CHECK(page.body.find("symbolic link") != std::string::npos);
            CHECK(page.body.find(marker) == std::string::npos);
            CHECK(page.body.find("id=\"files\"") == std::string::npos);
            for (const char* name : {"results.csv", "results.jsonl", "summary.json", "plan.csv"}) {
                CAPTURE(name);
                const auto file = http_get(serve.port, std::string("/run/1/files/") + name);
                CHECK(file.status == 404);
                CHECK(file.body.find(marker) == std::string::npos);
                CHECK_FALSE(file.has_header("Content-Disposition"));
            }
        };

        {
            INFO("the run folder is a link to another folder");
            const fs::path away = folder.string() + ".real";
            fs::rename(folder, away);
            fs::create_directory_symlink(planted, folder);
            check_refused("the run folder");
            fs::remove(folder);
            fs::rename(away, folder);
            REQUIRE(http_get(serve.port, "/run/1/files/results.csv").status == 200);
        }
        {
            INFO("the job's folder on the way is a link");
            const fs::path job_folder = folder.parent_path();
            const fs::path away = ledger.tmp.path / "moved-job-folder";
            fs::rename(job_folder, away);
            fs::create_directory_symlink(away, job_folder);
            // The same files, reached through a link: not read.
            const std::string real = sample_of(folder / "results.csv", 30);
            check_refused("the job's folder");
            CHECK(http_get(serve.port, "/run/1/files/results.csv").body.find(real) ==
                  std::string::npos);
            fs::remove(job_folder);
            fs::rename(away, job_folder);
            REQUIRE(http_get(serve.port, "/run/1/files/results.csv").status == 200);
        }
        {
            INFO("results.csv inside the real folder is a link to a planted file");
            fs::rename(folder / "results.csv", folder / "results.csv.real");
            fs::create_symlink(planted / "results.csv", folder / "results.csv");
            const auto file = http_get(serve.port, "/run/1/files/results.csv");
            CHECK(file.status == 404);
            CHECK(file.body.find(marker) == std::string::npos);
            CHECK_FALSE(file.has_header("Content-Disposition"));
            // The folder itself is still shown, and so is a file that is no link.
            const auto page = http_get(serve.port, "/run/1");
            CHECK(page.status == 200);
            CHECK(page.body.find("not shown") == std::string::npos);
            CHECK(page.body.find(marker) == std::string::npos);
            CHECK(http_get(serve.port, "/run/1/files/summary.json").status == 200);
        }
        {
            INFO("results.csv is a link to /etc/passwd");
            fs::remove(folder / "results.csv");
            fs::create_symlink("/etc/passwd", folder / "results.csv");
            const auto file = http_get(serve.port, "/run/1/files/results.csv");
            CHECK(file.status == 404);
            CHECK(file.body.find("root:") == std::string::npos);
        }
    }

    TEST_CASE("the run page and /metrics read no results.jsonl or summary.json planted as a link") {
        LedgerWithRuns ledger;
        const auto ids = rcbatch::test::active_us_backups(2);
        const fs::path folder = ledger.renew("renew-refused", {ids[0], 99999999, ids[1]}, 1);
        const std::string said = "No Entity found for Entityid: 99999999";
        // Planted copies, each with the marker where the run's own text was.
        const fs::path planted = ledger.tmp.path / "planted";
        fs::create_directories(planted);
        for (const auto& [name, text] : {std::pair<std::string, std::string>{"results.jsonl", said},
                                         {"summary.json", "renew-refused"}}) {
            std::string content = slurp(folder / name);
            REQUIRE(content.find(text) != std::string::npos);
            write(planted / name, content.replace(content.find(text), text.size(), marker));
            fs::rename(folder / name, folder / (name + ".real"));
            fs::create_symlink(planted / name, folder / name);
        }
        auto serve = rcbatch::test::start_serve(ledger.env);
        const auto page = http_get(serve.port, "/run/1");
        CHECK(page.status == 200);
        CHECK(page.body.find(marker) == std::string::npos);
        const auto metrics = http_get(serve.port, "/metrics");
        CHECK(metrics.status == 200);
        CHECK(metrics.body.find(marker) == std::string::npos);
        for (const char* name : {"results.jsonl", "summary.json"}) {
            const auto file = http_get(serve.port, std::string("/run/1/files/") + name);
            CHECK(file.status == 404);
            CHECK(file.body.find(marker) == std::string::npos);
        }
    }
}

}  // namespace traversal_test
