#pragma once
// The one reader of the run folder's JSON-lines files (targets.jsonl, results.jsonl,
// plan.jsonl, the journal's header): one JSON object a line, read line by line so a file of
// any size costs one line of memory. A line that is not a JSON object is damage (cut short by
// a crash, garbled), handed to the caller with its line number, never an exception.

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
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
// whether the file could be opened, failed() whether a read error ended it early.
class JsonLineReader {
  public:
    explicit JsonLineReader(const std::filesystem::path& path);

    bool is_open() const noexcept { return opened_; }
    // The next non-empty line; nullopt at the end of the file or on a read error.
    std::optional<JsonLine> next();
    bool failed() const noexcept { return in_.bad(); }
    std::uint64_t lines() const noexcept { return lines_; }      // non-empty lines read so far
    std::uint64_t damaged() const noexcept { return damaged_; }  // of them, not a JSON object
    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
    std::ifstream in_;
    bool opened_ = false;
    std::string text_;
    std::uint64_t number_ = 0, lines_ = 0, damaged_ = 0;
};

// How a whole file went: opened, ended by a read error, its non-empty and damaged lines.
struct JsonLinesRead {
    bool opened = false;
    bool failed = false;
    std::uint64_t lines = 0;
    std::uint64_t damaged = 0;
};

// Calls `each` for every non-empty line of `path` in order, damaged ones included. A file
// that cannot be opened calls nothing (opened = false); it is the caller's to say so.
JsonLinesRead for_each_json_line(const std::filesystem::path& path,
                                 const std::function<void(JsonLine&)>& each);

}  // namespace rcbatch::jobs
