#pragma once
// Reading a file rcbatch wrote (a run folder's JSON-lines files, its journal) a line at a time,
// with a cap on one line: a file with no newline in it — damaged, or planted — costs at most
// the cap in memory, never the whole file.

#include "engine/store/regular_file.hpp"

#include <cstdint>
#include <string>

namespace rcbatch::engine {

class LineReader {
  public:
    LineReader() = default;
    LineReader(RegularFile file, std::uint64_t max_line_bytes);

    // The next line, without its '\n' (the last one may have none). False at the end of the
    // file, and on an error: then error() says what, as a predicate ("line 3 is longer than the
    // 64 MiB limit", "cannot be read (Input/output error)").
    bool next(std::string& line);
    const std::string& error() const noexcept { return error_; }
    std::uint64_t lines() const noexcept { return lines_; }  // lines returned so far

  private:
    bool fill();  // reads more into buffer_; false at the end or on an error

    RegularFile file_;
    std::uint64_t max_ = 0;
    std::string buffer_;
    std::size_t start_ = 0;    // where the unread part of buffer_ begins
    std::size_t scanned_ = 0;  // buffer_ up to here has no '\n' after start_
    bool end_ = true;
    std::string error_;
    std::uint64_t lines_ = 0;
};

}  // namespace rcbatch::engine
