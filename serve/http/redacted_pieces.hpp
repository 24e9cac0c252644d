#pragma once
// A file sent as a page body in pieces, each through the one redaction point (engine::redact,
// then engine::mask_key_like: a word that looks like a key is masked even when it is not one
// this process knows):
// the pieces are cut at line ends, so a key quoted in a line is never split between two pieces
// (the run folder's files are lines: CSV, JSON lines, XML). A line longer than `longest_line`
// is cut where it reaches it. Pure.

#include <cstddef>
#include <string>
#include <string_view>

namespace rcbatch::serve {

class RedactedPieces {
  public:
    explicit RedactedPieces(std::size_t longest_line) : longest_line_(longest_line) {}

    // The redacted text of the lines `bytes` completes ("" when it completes none); the rest is
    // kept for the next call.
    std::string add(std::string_view bytes);
    // The redacted text of what is left (the last line without its end).
    std::string finish();

  private:
    std::size_t longest_line_;
    std::string pending_;
};

}  // namespace rcbatch::serve
