#pragma once
// Streams the orders of a `[targets] file`: one order id or domain name a line with '#'
// comments, a CSV whose header has an order-id or domain-name column, or JSON Lines of
// objects with an "order-id" or "domain-name" member. The other columns (members) come as
// cells, for per-order parameters. Strict: a CSV line with more or fewer cells than its
// header, a header that names a column twice and a JSON object that names a member twice are
// errors (which value would count?), never a guess. One line at a time, so a file of a million
// orders costs no more memory than one of ten.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// The longest line a target file may have: a longer one is a bad line, reported by its
// number and length, and only this much of it is ever held in memory.
constexpr std::size_t max_target_line_bytes = 64 << 10;

// A column of a CSV or a member of a JSON line other than the target's.
struct TargetCell {
    std::string column;  // its header name / member name
    std::string text;    // as written, trimmed; empty: the cell is empty
    int col = 1;         // 1-based character column where it starts, for messages
};

struct TargetLine {
    int line = 0;                          // 1-based line in the file
    std::string given;                     // the id or name as written
    std::optional<std::int64_t> order_id;  // when `given` is an order id
    std::string error;                     // why the line is not a usable target; empty when it is
    std::vector<TargetCell> cells;         // the line's other columns, in order
    int error_col = 1;                     // where the error is, for messages
};

// A CSV header's column other than the target's.
struct TargetColumn {
    std::string name;
    int col = 1;  // 1-based character column in the header line
};

class TargetFileReader {
  public:
    // Throws std::runtime_error "PATH: the targets file <cause>" when it cannot be opened, is
    // not a regular file (a FIFO, a directory, a device) or is larger than
    // engine::max_target_file_bytes.
    explicit TargetFileReader(const std::string& path);
    ~TargetFileReader();
    TargetFileReader(const TargetFileReader&) = delete;
    TargetFileReader& operator=(const TargetFileReader&) = delete;

    // The next target line, or nullopt at the end of the file. A UTF-8 byte order mark at the
    // start of the file is skipped; a line longer than max_target_line_bytes is a TargetLine
    // with an error. Throws std::runtime_error naming the file when it cannot be read or grows
    // past the cap while it is read.
    std::optional<TargetLine> next();

    // After the first next(): a CSV header's other columns and its line (0: no header).
    const std::vector<TargetColumn>& columns() const noexcept { return columns_; }
    int header_line() const noexcept { return header_line_; }
    // After the first next(): why the header cannot be read (a column named twice), at
    // header_problem_col(); empty when it can. Every line then carries it as its error.
    const std::string& header_problem() const noexcept { return header_problem_; }
    int header_problem_col() const noexcept { return header_problem_col_; }

  private:
    std::optional<TargetLine> parse(std::string_view text);
    TargetLine parse_json(std::string_view text);
    bool read_header(std::string_view text);
    bool read_line(std::string& out, std::uint64_t& length);
    bool fill();

    std::string path_;
    std::FILE* in_ = nullptr;
    std::uint64_t bytes_ = 0;
    std::string chunk_;  // what was read from the file and not yet taken as lines
    std::size_t chunk_at_ = 0;
    int line_ = 0;
    bool header_checked_ = false;
    int column_ = -1;    // the CSV column holding the target; -1 for a plain list
    bool json_ = false;  // JSON Lines
    int header_line_ = 0;
    std::vector<TargetColumn> columns_;
    std::vector<std::string> names_;  // every header name, by column
    std::string header_problem_;
    int header_problem_col_ = 1;
};

// Whether `text` is an order id: digits only, 1 to 18 of them, not zero.
std::optional<std::int64_t> parse_order_id(std::string_view text);

// Whether `text` could be a domain name: dot-separated labels of letters, digits, '-' or
// non-ASCII (IDN) characters in valid UTF-8 (no control or bidi character), no label longer
// than 63 bytes, the whole no longer than 253.
bool plausible_domain_name(std::string_view text);

}  // namespace rcbatch::jobs
