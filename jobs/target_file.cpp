#include "jobs/target_file.hpp"

#include "engine/display_text.hpp"
#include "engine/regular_file.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace rcbatch::jobs {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view strip_comment(std::string_view s) {
    if (auto hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
    return trim(s);
}

// Splits one CSV line; quoted fields may hold commas and doubled quotes.
std::vector<std::string> split_csv(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    for (auto& f : fields) f = std::string(trim(f));
    return fields;
}
}  // namespace

std::optional<std::int64_t> parse_order_id(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::int64_t id = 0;
    std::from_chars(text.data(), text.data() + text.size(), id);
    if (id == 0) return std::nullopt;
    return id;
}

bool plausible_domain_name(std::string_view text) {
    if (text.empty() || text.size() > 253 || text.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('.', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view label = text.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        while (!label.empty()) {
            // Letters, digits, '-', or a non-ASCII letter of an IDN in valid UTF-8 that is
            // neither a control nor a bidi character.
            char32_t c = 0;
            const std::size_t n = engine::utf8_sequence(label, c);
            if (n == 0) return false;
            if (c < 0x80 ? !(std::isalnum(static_cast<unsigned char>(c)) || c == '-')
                         : engine::is_unsafe_code_point(c))
                return false;
            label.remove_prefix(n);
        }
        start = end + 1;
    }
    return true;
}

TargetFileReader::TargetFileReader(const std::string& path) : path_(path) {
    std::string error;
    auto file = engine::open_regular_file(path, engine::max_target_file_bytes, error);
    if (!file) throw std::runtime_error(path + ": the targets file " + error);
    in_ = ::fdopen(file->fd(), "rb");
    if (!in_)
        throw std::runtime_error(path + ": the targets file cannot be read (" +
                                 std::strerror(errno) + ")");
    file->release();
}

TargetFileReader::~TargetFileReader() {
    if (in_) std::fclose(in_);
    std::free(line_buffer_);
}

bool TargetFileReader::read_line(std::string& out) {
    errno = 0;
    const ssize_t n = ::getline(&line_buffer_, &line_capacity_, in_);
    if (n >= 0) out.assign(line_buffer_, static_cast<std::size_t>(n));
    if (n < 0) {
        if (std::ferror(in_))
            throw std::runtime_error(path_ + ": the targets file cannot be read (" +
                                     std::strerror(errno) + ")");
        return false;
    }
    bytes_ += static_cast<std::uint64_t>(n);
    if (bytes_ > engine::max_target_file_bytes)
        throw std::runtime_error(path_ + ": the targets file grew past the " +
                                 engine::size_text(engine::max_target_file_bytes) + " limit");
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return true;
}

std::optional<TargetLine> TargetFileReader::next() {
    std::string raw;
    while (read_line(raw)) {
        ++line_;
        std::string_view text = strip_comment(raw);
        if (text.empty()) continue;
        if (!header_checked_) {
            header_checked_ = true;
            auto fields = split_csv(text);
            for (std::string_view name : {"order-id", "domain-name"}) {
                auto at = std::find(fields.begin(), fields.end(), name);
                if (at != fields.end() && column_ < 0)
                    column_ = static_cast<int>(at - fields.begin());
            }
            if (column_ >= 0) continue;
            if (fields.size() > 1)
                return TargetLine{line_, std::string(text), std::nullopt,
                                  "a CSV targets file needs a header with an order-id or "
                                  "domain-name column"};
        }
        return parse(text);
    }
    return std::nullopt;
}

std::optional<TargetLine> TargetFileReader::parse(std::string_view text) {
    TargetLine out;
    out.line = line_;
    if (column_ >= 0) {
        auto fields = split_csv(text);
        if (static_cast<std::size_t>(column_) >= fields.size()) {
            out.given = std::string(text);
            out.error = "the line has no column " + std::to_string(column_ + 1);
            return out;
        }
        out.given = fields[static_cast<std::size_t>(column_)];
    } else {
        out.given = std::string(text);
    }
    out.order_id = parse_order_id(out.given);
    if (!out.order_id && !plausible_domain_name(out.given))
        out.error = "'" + out.given + "' is neither an order id nor a domain name";
    return out;
}

}  // namespace rcbatch::jobs
