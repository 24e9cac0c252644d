#pragma once
// Streams the orders of a `[targets] file`: one order id or domain name a line with '#'
// comments, or a CSV whose header has an order-id or domain-name column. One line at a time,
// so a file of a million orders costs no more memory than one of ten.

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

struct TargetLine {
    int line = 0;           // 1-based line in the file
    std::string given;      // the id or name as written
    std::optional<std::int64_t> order_id;  // when `given` is an order id
    std::string error;      // why the line is not a usable target; empty when it is
};

class TargetFileReader {
public:
    // Throws std::runtime_error naming the file when it cannot be opened.
    explicit TargetFileReader(const std::string& path);

    // The next target line, or nullopt at the end of the file.
    std::optional<TargetLine> next();

private:
    std::optional<TargetLine> parse(std::string_view text);

    std::ifstream in_;
    int line_ = 0;
    bool header_checked_ = false;
    int column_ = -1;  // the CSV column holding the target; -1 for a plain list
};

// Whether `text` is an order id: digits only, 1 to 18 of them, not zero.
std::optional<std::int64_t> parse_order_id(std::string_view text);

// Whether `text` could be a domain name: dot-separated labels of letters, digits, '-' or
// non-ASCII (IDN) bytes, no label longer than 63, the whole no longer than 253.
bool plausible_domain_name(std::string_view text);

}  // namespace rcbatch::jobs
