#include "engine/report/progress.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

namespace progress_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;

namespace {

ProgressCounts counts(std::uint64_t total, std::uint64_t done, std::uint64_t ok,
                      std::uint64_t failed, std::uint64_t retrying) {
    ProgressCounts c;
    c.total = total;
    c.done = done;
    c.ok = ok;
    c.failed = failed;
    c.retrying = retrying;
    return c;
}

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

const ProgressClock::time_point t0{};

}  // namespace

TEST_SUITE("progress") {
    TEST_CASE("durations") {
        struct Case {
            double s;
            const char* text;
        };
        for (const Case& c : std::vector<Case>{{0, "0s"},
                                               {44.6, "45s"},
                                               {60, "1m00s"},
                                               {185, "3m05s"},
                                               {3600, "1h00m"},
                                               {7260, "2h01m"},
                                               {-1, "--"}}) {
            CAPTURE(c.s);
            CHECK(format_duration(Seconds(c.s)) == c.text);
        }
    }

    TEST_CASE("the bar: done/total, percent, counters, rate, ETA, within the width") {
        struct Case {
            const char* name;
            ProgressCounts c;
            double elapsed;
            std::size_t width;
            std::string text;
        };
        const std::vector<Case> cases = {
            {"a quarter", counts(500, 120, 110, 8, 2), 10, 100,
             "[#########.............................] 120/500  24%  ok 110  failed 8  retrying 2  "
             "12.0/s  ETA 32s"},
            {"narrow: the bar shrinks", counts(500, 250, 250, 0, 0), 10, 80,
             "[#########.........] 250/500  50%  ok 250  failed 0  retrying 0  25.0/s  ETA 10s"},
            {"too narrow: no bar", counts(500, 250, 250, 0, 0), 10, 60,
             "250/500  50%  ok 250  failed 0  retrying 0  25.0/s  ETA 10s"},
            {"cut to the width", counts(500, 250, 250, 0, 0), 10, 20, "250/500  50%  ok 250"},
            {"no total", counts(0, 7, 7, 0, 0), 2, 100,
             "7 done  ok 7  failed 0  retrying 0  3.50/s"},
            {"nothing done yet", counts(10, 0, 0, 0, 0), 0, 70,
             "[...............] 0/10  0%  ok 0  failed 0  retrying 0  0.00/s  ETA --"},
            {"all done", counts(4, 4, 3, 1, 0), 2, 70,
             "[##############] 4/4  100%  ok 3  failed 1  retrying 0  2.00/s  ETA 0s"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            const std::string bar = format_bar(c.c, Seconds(c.elapsed), c.width);
            CHECK(bar == c.text);
            CHECK(bar.size() <= c.width);
        }
    }

    TEST_CASE("the plain line and the JSON event") {
        ProgressCounts c = counts(500, 120, 110, 8, 2);
        c.skipped = 2;
        c.retries = 5;
        CHECK(format_line(c, Seconds(10)) ==
              "progress: 120/500 (24%)  ok 110  failed 8  skipped 2  retrying 2  12.0 orders/s  "
              "elapsed 10s  ETA 32s");
        const auto j = progress_json(c, Seconds(10));
        CHECK(j.at("event") == "progress");
        CHECK(j.at("done") == 120);
        CHECK(j.at("total") == 500);
        CHECK(j.at("retries") == 5);
        CHECK(j.at("elapsed_ms") == 10000);
        CHECK(j.at("eta_s") == 32);
        CHECK(j.at("rate").as_double() == doctest::Approx(12.0));
        CHECK(progress_json(counts(0, 1, 1, 0, 0), Seconds(1)).at("eta_s").is_null());
    }

    TEST_CASE("on a TTY the bar is redrawn in place, at most every bar_interval") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::bar;
        o.width = 70;
        Progress p(out, o, 3, t0);
        p.finished(0, Outcome::ok, t0 + 100ms);  // first event: drawn
        p.finished(1, Outcome::ok, t0 + 150ms);  // too soon: not drawn
        const std::string early = out.str();
        CHECK(early.starts_with("\r["));
        CHECK(early.find("1/3") != std::string::npos);
        CHECK(early.find("2/3") == std::string::npos);
        CHECK(early.find('\n') == std::string::npos);
        p.retrying(2, t0 + 400ms);  // drawn
        CHECK(out.str().find("2/3") != std::string::npos);
        CHECK(out.str().find("retrying 1") != std::string::npos);
        p.note("order 2: HTTP 503, retrying", t0 + 410ms);
        CHECK(out.str().find("\r\x1b[Korder 2: HTTP 503, retrying\n\r[") != std::string::npos);
        p.finished(2, Outcome::api_error, t0 + 420ms);
        p.done(t0 + 500ms);
        const std::string all = out.str();
        CHECK(all.ends_with("\x1b[K\n"));
        CHECK(all.find("3/3  100%  ok 2  failed 1  retrying 0") != std::string::npos);
        CHECK(p.counts().retries == 1);
        CHECK(p.counts().retrying == 0);
    }

    TEST_CASE("not a TTY: a plain line every line_interval, no control characters") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::lines;
        Progress p(out, o, 100, t0);
        for (int i = 0; i < 100; ++i) p.finished(i, Outcome::ok, t0 + i * 100ms);  // 0 .. 9.9 s
        p.done(t0 + 10s);
        const auto lines = split_lines(out.str());
        REQUIRE(lines.size() == 2);  // at 5 s (the next would be due at 10 s), and the final one
        CHECK(lines[0].starts_with("progress: 51/100 (51%)"));
        CHECK(lines[1].starts_with("progress: 100/100 (100%)"));
        CHECK(out.str().find('\r') == std::string::npos);
        CHECK(out.str().find('\x1b') == std::string::npos);
    }

    TEST_CASE("quiet writes nothing but important notes") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::quiet;
        Progress p(out, o, 2, t0);
        p.finished(0, Outcome::ok, t0 + 10s);
        p.note("retrying", t0 + 11s);
        p.tick(t0 + 60s);
        p.done(t0 + 61s);
        CHECK(out.str().empty());
        p.note("fatal: check the key and the API IP whitelist", t0 + 62s, true);
        CHECK(out.str() == "fatal: check the key and the API IP whitelist\n");
    }

    TEST_CASE("json log format: one JSON object per line, even when a TTY bar was asked for") {
        std::ostringstream out;
        ProgressOptions o;
        o.style = ProgressStyle::bar;
        o.format = LogFormat::json;
        o.line_interval = 1000ms;
        Progress p(out, o, 2, t0);
        p.finished(0, Outcome::ok, t0 + 1500ms);
        p.note("say \"hi\"\n", t0 + 1600ms);
        p.done(t0 + 2s);
        const auto lines = split_lines(out.str());
        REQUIRE(lines.size() == 3);
        for (const auto& line : lines) {
            CAPTURE(line);
            CHECK(boost::json::parse(line).is_object());
        }
        CHECK(boost::json::parse(lines[1]).at("message") == "say \"hi\"\n");
        CHECK(boost::json::parse(lines[2]).at("done") == 1);
    }

    TEST_CASE("a stalled run still shows through tick") {
        std::ostringstream out;
        Progress p(out, ProgressOptions{}, 10, t0);
        p.tick(t0 + 4s);
        CHECK(out.str().empty());
        p.tick(t0 + 5s);
        CHECK(out.str().starts_with("progress: 0/10 (0%)"));
    }
}

}  // namespace progress_test
