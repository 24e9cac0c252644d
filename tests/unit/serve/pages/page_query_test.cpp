#include "serve/pages/page_query.hpp"

#include "serve/pages/page_frame.hpp"

#include <doctest/doctest.h>

namespace page_query_test {

using namespace rcbatch::serve;

TEST_SUITE("serve: page query") {
    TEST_CASE("segments and values are decoded; the first of a name wins") {
        std::string error;
        auto q = parse_page_query("/run/12/files/results.csv?show=unknown&q=a%20b&q=second", error);
        REQUIRE(q);
        CHECK(q->segments == std::vector<std::string>{"run", "12", "files", "results.csv"});
        CHECK(q->value("show") == "unknown");
        CHECK(q->value("q") == "a b");
        CHECK(q->value("absent").empty());
    }

    TEST_CASE("an encoded traversal is only a segment's text: it names no file") {
        std::string error;
        auto q = parse_page_query("/run/1/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", error);
        REQUIRE(q);
        CHECK(q->segments.back() == "../../etc/passwd");
    }

    TEST_CASE("refused: not a path, control characters, bad UTF-8, a value too long") {
        for (const std::string& target :
             {std::string("http://evil/x"), std::string("*"), std::string("/run?q=%00"),
              std::string("/run/%1b[31m"), std::string("/search?q=%ff%fe"),
              "/search?q=" + std::string(max_query_value_bytes + 1, 'a'),
              std::string("no-slash")}) {
            CAPTURE(target);
            std::string error;
            CHECK_FALSE(parse_page_query(target, error));
            CHECK_FALSE(error.empty());
            CHECK(error.find(target) == std::string::npos);  // never echoed
        }
    }

    TEST_CASE("whole numbers and days") {
        CHECK(whole_number("12") == 12);
        for (const char* bad : {"", "0", "-1", "1e3", "12x", " 12", "99999999999999999999"})
            CHECK_FALSE(whole_number(bad));
        CHECK(day_start("1970-01-02") == 86400);
        CHECK(day_start("2026-12-07") == 1796601600);
        for (const char* bad : {"2026-13-01", "2026-02-30", "2026-1-01", "20261201", "yesterday"})
            CHECK_FALSE(day_start(bad));
    }

    TEST_CASE("links and texts are escaped; times and durations read as a person reads them") {
        CHECK(url_part("a b&c/<x>") == "a%20b%26c%2F%3Cx%3E");
        CHECK(html_link("/x?a=1&b=2", "<script>alert(1)</script>") ==
              "<a href=\"/x?a=1&amp;b=2\">&lt;script&gt;alert(1)&lt;/script&gt;</a>");
        CHECK(time_text(0).empty());
        CHECK(time_text(86400) == "1970-01-02 00:00:00 UTC");
        CHECK(duration_text(12) == "12 s");
        CHECK(duration_text(185) == "3 min 05 s");
        CHECK(duration_text(3720) == "1 h 02 min");
    }
}

}  // namespace page_query_test
