#include "serve/http/redacted_pieces.hpp"

#include "engine/secret/redact.hpp"

#include <doctest/doctest.h>

namespace redacted_pieces_test {

using rcbatch::serve::RedactedPieces;

TEST_SUITE("serve: a file in redacted pieces") {
    TEST_CASE("pieces end at line ends; a key split across reads is still found") {
        rcbatch::engine::register_secret("Piece5ecretKey0123456789");
        RedactedPieces pieces(1024);
        std::string out;
        out += pieces.add("first line\nsecond Piece5ecr");
        CHECK(out == "first line\n");
        out += pieces.add("etKey0123456789 here\nthird");
        out += pieces.finish();
        CHECK(out == "first line\nsecond *** here\nthird");
        CHECK(pieces.finish().empty());
    }

    TEST_CASE("a line longer than the limit is cut where it reaches it; api-key= values go") {
        RedactedPieces pieces(8);
        CHECK(pieces.add("abc").empty());
        CHECK(pieces.add("defghijk") == "abcdefghijk");
        CHECK(pieces.add("x?api-key=abc&y\n") == "x?api-key=***&y\n");
    }
}

}  // namespace redacted_pieces_test
