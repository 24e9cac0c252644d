#include "engine/report/html_charts.hpp"
#include "engine/report/report_stats.hpp"
#include "engine/secret/redact.hpp"
#include "engine/text/markup_text.hpp"

#include <doctest/doctest.h>

#include <string>

namespace markup_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;

TEST_SUITE("markup") {
    TEST_CASE("escaping: the five specials, and control characters XML cannot hold") {
        CHECK(markup_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
        CHECK(markup_escape("tab\tlf\ncr\r") == "tab\tlf\ncr\r");
        CHECK(markup_escape(std::string("nul\0bell\x07", 9)) ==
              "nul\xef\xbf\xbd"
              "bell\xef\xbf\xbd");
        CHECK(markup_escape("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 passes
    }

    TEST_CASE("safe_text redacts before it escapes") {
        register_secret("Sup3rS3cretKeyForMarkupTest");
        const std::string t =
            safe_text("<b>bad key Sup3rS3cretKeyForMarkupTest</b> api-key=abc&x=1");
        CHECK(t.find("Sup3rS3cret") == std::string::npos);
        CHECK(t.find("&lt;b&gt;bad key ***&lt;/b&gt;") != std::string::npos);
        CHECK(t.find("abc") == std::string::npos);
    }

    TEST_CASE("shorten cuts at a character boundary") {
        CHECK(shorten("abcdef", 10) == "abcdef");
        CHECK(shorten("abcdef", 3) == "abc\xe2\x80\xa6");
        CHECK(shorten("a\xc3\xa9z", 2) == "a\xe2\x80\xa6");  // not inside the two-byte é
        CHECK(grouped(0) == "0");
        CHECK(grouped(999) == "999");
        CHECK(grouped(1234567) == "1,234,567");
    }

    TEST_CASE("latency bins and their labels") {
        struct Case {
            std::chrono::milliseconds latency;
            std::size_t bin;
        };
        for (const Case& c : {Case{0ms, 0}, Case{9ms, 0}, Case{10ms, 1}, Case{499ms, 5},
                              Case{500ms, 6}, Case{29'999ms, 10}, Case{30s, 11}, Case{1h, 11}}) {
            CAPTURE(c.latency.count());
            CHECK(latency_bin(c.latency) == c.bin);
        }
        CHECK(latency_bin_label(0) == "< 10 ms");
        CHECK(latency_bin_label(1) == "10-25 ms");
        CHECK(latency_bin_label(6) == "500 ms-1 s");
        CHECK(latency_bin_label(7) == "1-2.5 s");
        CHECK(latency_bin_label(11) == ">= 30 s");
    }

    TEST_CASE("stats: counts, latency, attention") {
        ReportStats s;
        OrderResult r;
        r.outcome = Outcome::ok;
        r.attempts = 2;
        r.latency = 40ms;
        s.add(r);
        s.add(r);
        r.outcome = Outcome::api_error;
        s.add(r);
        r.outcome = Outcome::not_run;
        r.attempts = 0;
        s.add(r);
        CHECK(s.orders == 4);
        CHECK(s.failed == 2);
        CHECK(s.attention() == 1);
        CHECK(s.latency[latency_bin(40ms)] == 3);  // the not_run order sent nothing
    }

    TEST_CASE("timeline: equal bins from the first second to the last") {
        Timeline t;
        CHECK(t.bins(60).empty());
        const std::chrono::system_clock::time_point start{std::chrono::seconds(1'700'000'000)};
        for (int i = 0; i < 120; ++i)
            t.add(start + std::chrono::seconds(i), 2, i % 10 == 0 ? 1 : 0);
        t.add({}, 5, 5);  // no start time: left out
        const auto bins = t.bins(60);
        REQUIRE(bins.size() == 60);
        std::uint64_t attempts = 0, retries = 0;
        for (const auto& b : bins) {
            CHECK(b.to - b.from == 2s);
            attempts += b.attempts;
            retries += b.retries;
        }
        CHECK(attempts == 240);
        CHECK(retries == 12);
        CHECK(t.bins(1000).size() == 120);  // one a second when the run is shorter
    }

    TEST_CASE("charts escape their texts and skip outcomes without orders") {
        ReportStats s;
        OrderResult r;
        r.outcome = Outcome::ok;
        r.attempts = 1;
        s.add(r);
        const std::string bar = outcome_bar_svg(s);
        CHECK(bar.find("ok: 1 (100.0%)") != std::string::npos);
        CHECK(bar.find("api_error") == std::string::npos);
        CHECK(latency_histogram_svg(s).find("&lt; 10 ms") != std::string::npos);
        CHECK(timeline_svg({}).empty());
    }
}

}  // namespace markup_test
