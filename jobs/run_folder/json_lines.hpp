#pragma once
// The one reader of the run folder's JSON-lines files (targets.jsonl, results.jsonl,
// plan.jsonl, the journal's header): one JSON object a line, read line by line so a file of
// any size costs one line of memory (a line is capped: engine::max_run_folder_line_bytes). A
// line that is not a JSON object is damage (cut short by a crash, garbled), handed to the
// caller with its line number, never an exception. The file is opened as issue #11's inputs
// are (engine/store/regular_file.hpp): a regular file only, never through a symbolic link.

#include "engine/store/line_reader.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace rcbatch::jobs {

// One non-empty line: its number in the file (1-based, every line counted) and its object,
// or no object when the line is damaged.
struct JsonLine {
    std::uint64_t number = 0;
    std::optional<boost::json::object> object;

    bool damaged() const noexcept { return !object; }
};

// Reads `path` line by line; empty lines are passed over. Never throws: is_open() says
// whether the file could be opened, failed() whether an error (a read error, a line over the
// cap) ended it early; error() says why, in one line naming the file.
class JsonLineReader {
  public:
    explicit JsonLineReader(const std::filesystem::path& path);

    bool is_open() const noexcept { return opened_; }
    // The next non-empty line; nullopt at the end of the file or on an error.
    std::optional<JsonLine> next();
    bool failed() const noexcept { return opened_ && !in_.error().empty(); }
    // "PATH: the file is a FIFO (named pipe), not a regular file", "PATH: line 3 is longer
    // than the 64 MiB limit"; "" while all is well.
    const std::string& error() const noexcept { return error_; }
    std::uint64_t lines() const noexcept { return lines_; }      // non-empty lines read so far
    std::uint64_t damaged() const noexcept { return damaged_; }  // of them, not a JSON object
    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
    engine::LineReader in_;
    bool opened_ = false;
    std::string error_;
    std::string text_;
    std::uint64_t lines_ = 0, damaged_ = 0;
};

// How a whole file went: opened, ended early by an error (and which), its non-empty and
// damaged lines.
struct JsonLinesRead {
    bool opened = false;
    bool failed = false;
    std::string error;  // as JsonLineReader::error()
    std::uint64_t lines = 0;
    std::uint64_t damaged = 0;
};

// Calls `each` for every non-empty line of `path` in order, damaged ones included. A file
// that cannot be opened calls nothing (opened = false); it is the caller's to say so.
JsonLinesRead for_each_json_line(const std::filesystem::path& path,
                                 const std::function<void(JsonLine&)>& each);

}  // namespace rcbatch::jobs
