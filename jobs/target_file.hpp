#pragma once
// Streams the orders of a `[targets] file`: one order id or domain name a line with '#'
// comments, or a CSV whose header has an order-id or domain-name column. One line at a time,
// so a file of a million orders costs no more memory than one of ten.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

struct TargetLine {
    int line = 0;                          // 1-based line in the file
    std::string given;                     // the id or name as written
    std::optional<std::int64_t> order_id;  // when `given` is an order id
    std::string error;                     // why the line is not a usable target; empty when it is
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

    // The next target line, or nullopt at the end of the file. Throws std::runtime_error
    // naming the file when it cannot be read or grows past the cap while it is read.
    std::optional<TargetLine> next();

  private:
    std::optional<TargetLine> parse(std::string_view text);
    bool read_line(std::string& out);

    std::string path_;
    std::FILE* in_ = nullptr;
    std::uint64_t bytes_ = 0;
    char* line_buffer_ = nullptr;  // getline(3)'s, reused from line to line
    std::size_t line_capacity_ = 0;
    int line_ = 0;
    bool header_checked_ = false;
    int column_ = -1;  // the CSV column holding the target; -1 for a plain list
};

// Whether `text` is an order id: digits only, 1 to 18 of them, not zero.
std::optional<std::int64_t> parse_order_id(std::string_view text);

// Whether `text` could be a domain name: dot-separated labels of letters, digits, '-' or
// non-ASCII (IDN) characters in valid UTF-8 (no control or bidi character), no label longer
// than 63 bytes, the whole no longer than 253.
bool plausible_domain_name(std::string_view text);

}  // namespace rcbatch::jobs
