// The key in any form a server may echo it (issue #20): uppercased, percent-encoded in any hex
// case, JSON-escaped, split by a zero-width space, an HTML tag or a control character. The
// matcher normalises while it reads and masks the original span.

#include "engine/secret/redact.hpp"

#include "engine/secret/secret_match.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace redact_test {

using namespace rcbatch::engine;

namespace {
// Registered once for the whole program: distinctive, so no other test's text holds it.
constexpr std::string_view key = "SeCrEtKeY0123Zq9";

// `text` with every character percent-encoded, hex digits in `upper` case or not.
std::string fully_encoded(std::string_view text, bool upper) {
    static constexpr char hex_upper[] = "0123456789ABCDEF", hex_lower[] = "0123456789abcdef";
    const char* hex = upper ? hex_upper : hex_lower;
    std::string out;
    for (unsigned char c : text) {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

// The key with `between` after its n-th character.
std::string split_key(std::size_t n, std::string_view between) {
    return std::string(key.substr(0, n)) + std::string(between) + std::string(key.substr(n));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}
}  // namespace

TEST_SUITE("redaction") {
    TEST_CASE("a server's echo of the key is masked in every form the issue lists") {
        register_secret(key);
        struct Case {
            std::string name, echoed;
        };
        const std::vector<Case> cases{
            {"verbatim", std::string(key)},
            {"lower case", lower(key)},
            {"upper case", "SECRETKEY0123ZQ9"},
            {"fully percent-encoded, upper hex", fully_encoded(key, true)},
            {"fully percent-encoded, lower hex", fully_encoded(key, false)},
            {"percent-encoded twice", "%2553%2565" + std::string(key.substr(2))},
            {"zero-width space", split_key(5, "\xe2\x80\x8b")},
            {"zero-width space, JSON-escaped", split_key(5, "\\u200b")},
            {"zero-width space, percent-encoded", split_key(5, "%E2%80%8B")},
            {"zero-width space, HTML reference", split_key(5, "&#8203;")},
            {"byte order mark", split_key(9, "\xef\xbb\xbf")},
            {"an HTML tag", split_key(4, "<b>")},
            {"markup around a part", std::string(key.substr(0, 3)) + "<span class=\"x\">" +
                                         std::string(key.substr(3, 5)) + "</span>" +
                                         std::string(key.substr(8))},
            {"a control character", split_key(7, "\x01")},
            {"a control character, JSON-escaped", split_key(7, "\\u0001")},
            {"a control character, as printable() shows it", split_key(7, "\\x1b")},
            {"a newline and a tab", split_key(2, "\n\t")},
            {"a soft hyphen and a bidi override", split_key(6, "\xc2\xad\xe2\x80\xae")},
            {"every trick at once", "%73e<i>C</i>\xe2\x80\x8bR%65\\u0074" +
                                        lower(key.substr(6, 4)) + "\x02" +
                                        std::string(key.substr(10))},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            CHECK(redact("before " + c.echoed + " after") == "before *** after");
            CHECK(redact(c.echoed) == "***");
        }
    }

    TEST_CASE("text that only resembles the key is left as it is") {
        register_secret(key);
        const std::vector<std::string> innocent{
            "SeCrEtKeY0123Zq",                  // one character short
            "SeCrEtKeY0123Xq9",                 // one character different
            "SeCrEt-KeY0123Zq9",                // a visible character inside
            "\xe2\x80\x8bSeCrEtKeY0123Zq",      // the separator before it, and short
            "SeCrEtKeY<0123Zq9",                // '<' that starts no tag
            "plain text, 100% & a <b>tag</b>",  // encodings with no key
            "%zz %4 &#; &#x; \\u12 \\x",        // broken encodings
        };
        for (const std::string& text : innocent) {
            CAPTURE(text);
            CHECK(redact(text) == text);
        }
    }

    TEST_CASE("a short secret is matched exactly and in its percent-encoded forms only") {
        register_secret("pW9!x");
        CHECK(redact("user:pW9!x@proxy") == "user:***@proxy");
        CHECK(redact("pW9%21x, pW9%2521x, %70W9%21x") == "***, ***, ***");
        CHECK(redact("PW9!X") == "PW9!X");          // another case: innocent text may hold it
        CHECK(redact("pW9\x01!x") == "pW9\x01!x");  // nothing skipped inside
    }

    TEST_CASE("the matcher reports the whole span, separators included") {
        const SecretPattern loose{"abcdefgh", true};
        const std::string text =
            "x ab<b>CD</b>e\xe2\x80\x8b"
            "fgh y";
        CHECK(secret_end(text, 2, loose) == text.size() - 2);
        CHECK(secret_end(text, 1, loose) == std::string_view::npos);  // no match starts there
        const SecretPattern strict{"abcdefgh", false};
        CHECK(secret_end(text, 2, strict) == std::string_view::npos);
        CHECK(secret_end("abcdefg", 0, loose) == std::string_view::npos);  // the text ends first
    }

    TEST_CASE("separators are the invisible characters, never a visible one") {
        for (char32_t c : {U'\0', U'\x1b', U' ', U'\x7f', U'\u0085', U'\u00a0', U'\u00ad',
                           U'\u200b', U'\u200d', U'\u2060', U'\u202e', U'\u2066', U'\ufeff'})
            CHECK(is_separator(c));
        for (char32_t c : {U'a', U'-', U'.', U'<', U'\u00e9', U'\u0915', U'\u4e2d'})
            CHECK_FALSE(is_separator(c));
    }
}

}  // namespace redact_test
