// Text shown to a person: controls and bidi characters escaped, the rest left alone; JSON log
// lines with plain decimals and the same characters escaped.

#include "engine/text/display_text.hpp"

#include "engine/text/json_line.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace display_text_test {

using namespace rcbatch::engine;

TEST_SUITE("display text") {
    TEST_CASE("printable escapes what could act on a terminal, and only that") {
        struct Case {
            std::string in, out;
        };
        const std::vector<Case> cases{
            {"plain text, 123 & ok", "plain text, 123 & ok"},
            {"", ""},
            {"red \x1b[31mALERT\x1b[0m", "red \\x1b[31mALERT\\x1b[0m"},
            {"title \x1b]0;owned\x07", "title \\x1b]0;owned\\x07"},
            {"two\nlines\r\ttab", "two\\x0alines\\x0d\\x09tab"},
            {std::string("nul\0byte", 8), "nul\\x00byte"},
            {"del\x7f", "del\\x7f"},
            {"c1 \xc2\x9b"
             "31m",
             "c1 \\u009b31m"},  // U+009B, the 8-bit CSI
            {"abc\xe2\x80\xae"
             "fdp.exe",
             "abc\\u202efdp.exe"},  // RIGHT-TO-LEFT OVERRIDE
            {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d"},
            {"\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069"},  // isolates
            {"line\xe2\x80\xa8sep", "line\\u2028sep"},
            {"m\xc3\xbcnchen.de \xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa4\xa4",
             "m\xc3\xbcnchen.de \xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa4\xa4"},  // IDN stays
            {"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
            {"bad \xff byte", "bad \\xff byte"},
            {"cut \xe2\x80", "cut \\xe2\\x80"},  // a truncated sequence
            {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
            {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
            {"back\\slash", "back\\slash"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.in);
            CHECK(printable(c.in) == c.out);
            CHECK(printable(printable(c.in)) == c.out);  // escaping twice changes nothing more
        }
    }

    TEST_CASE("printable_lines keeps the newlines between lines") {
        CHECK(printable_lines("a\x1b\nb\n") == "a\\x1b\nb\n");
        CHECK(printable_lines("") == "");
    }

    TEST_CASE("json_number: the shortest plain decimal, never an exponent") {
        struct Case {
            double v;
            const char* text;
        };
        for (const Case& c : std::vector<Case>{{4.05, "4.05"},
                                               {0.1, "0.1"},
                                               {0, "0"},
                                               {-2.5, "-2.5"},
                                               {17699.0, "17699"},
                                               {1e21, "1000000000000000000000"},
                                               {1.5e-7, "0.00000015"}}) {
            CAPTURE(c.v);
            CHECK(json_number(c.v) == c.text);
            CHECK(boost::json::parse(json_number(c.v)).to_number<double>() == c.v);
        }
        CHECK(json_number(std::nan("")) == "null");
        CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
    }

    TEST_CASE("json_line: valid JSON, plain numbers, escaped controls and bidi") {
        boost::json::object o{{"event", "order"},
                              {"rate", 4.05},
                              {"n", 3},
                              {"big", std::uint64_t{18446744073709551615ull}},
                              {"message", "Bad\x1b[2J \xe2\x80\xae \"quoted\" \\ \n\xff"},
                              {"list", boost::json::array{1.25, nullptr, true}}};
        const std::string line = json_line(o);
        CAPTURE(line);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find("4.05") != std::string::npos);
        CHECK(line.find("E0") == std::string::npos);
        CHECK(line.find("\\u001b[2J") != std::string::npos);
        CHECK(line.find("\\u202e") != std::string::npos);
        CHECK(line.find("\\ufffd") != std::string::npos);
        const boost::json::value back = boost::json::parse(line);
        CHECK(back.at("rate").as_double() == 4.05);
        CHECK(back.at("big").as_uint64() == 18446744073709551615ull);
        CHECK(back.at("message").as_string() ==
              "Bad\x1b[2J \xe2\x80\xae \"quoted\" \\ \n\xef\xbf\xbd");
    }

    TEST_CASE("json_string escapes like json_line") {
        CHECK(json_string("a\"b") == "\"a\\\"b\"");
        CHECK(json_string("\x7f") == "\"\\u007f\"");
    }

    TEST_CASE("invisible characters are shown: a byte order mark, a zero-width space, marks") {
        CHECK(printable("\xef\xbb\xbf"
                        "91234567") == "\\ufeff91234567");
        CHECK(printable("Se\xe2\x80\x8b"
                        "cret") == "Se\\u200bcret");
        CHECK(printable("a\xe2\x80\x8f"
                        "b\xe2\x81\xa0"
                        "c") == "a\\u200fb\\u2060c");
        // ZWJ and ZWNJ stay: Devanagari names (.bharat) need them.
        CHECK(printable("\xe0\xa4\x95\xe2\x80\x8d") == "\xe0\xa4\x95\xe2\x80\x8d");
    }

    TEST_CASE("quoted_value: the whole of a short value, the start and the length of a long one") {
        CHECK(quoted_value("shop.in") == "'shop.in'");
        CHECK(quoted_value("") == "''");
        const std::string name(900 * 1024, 'n');
        const std::string shown = quoted_value(name);
        CHECK(shown == "'" + std::string(max_quoted_bytes, 'n') + "\u2026' (921600 bytes)");
        // Cut on a character boundary: the start of a long IDN is never half a character.
        const std::string idn = std::string(max_quoted_bytes - 1, 'a') + "\u092c\u093e" + "x";
        CHECK(quoted_value(idn) == "'" + std::string(max_quoted_bytes - 1, 'a') + "\u2026' (" +
                                       std::to_string(idn.size()) + " bytes)");
    }

    TEST_CASE("printable_field: escaped, and the start and the length of a long field") {
        CHECK(printable_field("Success") == "Success");
        CHECK(printable_field("a\r\nb") == "a\\x0d\\x0ab");
        const std::string field = "\x1b" + std::string(max_field_bytes, 'x');
        CHECK(printable_field(field) == "\\x1b" + std::string(max_field_bytes - 1, 'x') +
                                            "\u2026 (" + std::to_string(field.size()) + " bytes)");
    }
}

}  // namespace display_text_test
