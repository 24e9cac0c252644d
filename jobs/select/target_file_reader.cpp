#include "jobs/select/target_file_reader.hpp"

#include "engine/store/regular_file.hpp"
#include "engine/text/display_text.hpp"
#include "jobs/api/json_members.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

struct Field {
    std::string text;
    int col = 1;  // 1-based, where the field starts
};

// Splits one CSV line; quoted fields may hold commas and doubled quotes.
std::vector<Field> split_csv(std::string_view line) {
    std::vector<Field> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back().text += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.push_back({{}, static_cast<int>(i) + 2});
        } else {
            fields.back().text += c;
        }
    }
    for (auto& f : fields) f.text = std::string(trim(f.text));
    return fields;
}

// A JSON member's value as a cell's text: strings as they are, lists joined by ';'.
std::string cell_text(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_null()) return {};
    if (const auto* a = v.if_array()) {
        std::string out;
        for (const auto& item : *a) out += (out.empty() ? "" : ";") + cell_text(item);
        return out;
    }
    return boost::json::serialize(v);
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
}

// The next block of the file into chunk_; false at its end.
bool TargetFileReader::fill() {
    constexpr std::size_t block = 64 << 10;
    chunk_.resize(block);
    errno = 0;
    const std::size_t n = std::fread(chunk_.data(), 1, block, in_);
    chunk_.resize(n);
    chunk_at_ = 0;
    if (n == 0 && std::ferror(in_))
        throw std::runtime_error(path_ + ": the targets file cannot be read (" +
                                 std::strerror(errno) + ")");
    bytes_ += n;
    if (bytes_ > engine::max_target_file_bytes)
        throw std::runtime_error(path_ + ": the targets file grew past the " +
                                 engine::size_text(engine::max_target_file_bytes) + " limit");
    if (bytes_ == n && std::string_view(chunk_).starts_with("\xef\xbb\xbf"))
        chunk_at_ = 3;  // a byte order mark (Excel's "CSV UTF-8"): not part of the first line
    return n > 0;
}

// One line without its '\n' into `out`, at most max_target_line_bytes of it; `length` is the
// whole line's. False at the end of the file.
bool TargetFileReader::read_line(std::string& out, std::uint64_t& length) {
    out.clear();
    length = 0;
    bool any = false;
    while (chunk_at_ < chunk_.size() || fill()) {
        any = true;
        const std::string_view rest = std::string_view(chunk_).substr(chunk_at_);
        const std::size_t newline = rest.find('\n');
        const std::string_view part = rest.substr(0, newline);
        length += part.size();
        if (out.size() < max_target_line_bytes)
            out.append(part.substr(0, max_target_line_bytes - out.size()));
        chunk_at_ += part.size();
        if (newline != std::string_view::npos) {
            ++chunk_at_;
            break;
        }
    }
    return any;
}

// The first line: a CSV header (true: it is not a target), JSON Lines, or a plain list.
bool TargetFileReader::read_header(std::string_view text) {
    header_checked_ = true;
    if (text.front() == '{') {
        json_ = true;
        return false;
    }
    auto fields = split_csv(text);
    for (std::string_view name : {"order-id", "domain-name"})
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i].text == name && column_ < 0) column_ = static_cast<int>(i);
    if (column_ < 0) return false;
    header_line_ = line_;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto first = std::find(names_.begin(), names_.end(), fields[i].text);
        if (first != names_.end() && header_problem_.empty()) {
            header_problem_ = "the header names column '" + fields[i].text + "' twice (columns " +
                              std::to_string(first - names_.begin() + 1) + " and " +
                              std::to_string(i + 1) + "): which one would count?";
            header_problem_col_ = fields[i].col;
        }
        names_.push_back(fields[i].text);
        if (static_cast<int>(i) != column_) columns_.push_back({fields[i].text, fields[i].col});
    }
    return true;
}

std::optional<TargetLine> TargetFileReader::next() {
    std::string raw;
    std::uint64_t length = 0;
    while (read_line(raw, length)) {
        ++line_;
        if (length > max_target_line_bytes)
            return TargetLine{line_,
                              {},
                              std::nullopt,
                              "the line is " + std::to_string(length) + " bytes long, over the " +
                                  engine::size_text(max_target_line_bytes) + " limit of a line",
                              {}};
        // A CSV cell or a JSON string may hold '#': only a whole line is a comment there.
        std::string_view text = trim(raw);
        const bool json_line = json_ || (!header_checked_ && !text.empty() && text.front() == '{');
        if (!json_line && column_ < 0) text = strip_comment(raw);
        if (text.empty() || text.front() == '#') continue;
        if (!header_checked_) {
            if (read_header(text)) continue;
            if (!json_ && split_csv(text).size() > 1)
                return TargetLine{line_,
                                  std::string(text),
                                  std::nullopt,
                                  "a CSV targets file needs a header with an order-id or "
                                  "domain-name column",
                                  {}};
        }
        return json_ ? parse_json(text) : parse(text);
    }
    return std::nullopt;
}

TargetLine TargetFileReader::parse_json(std::string_view text) {
    TargetLine out;
    out.line = line_;
    out.given = std::string(text);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    const boost::json::object* o = ec ? nullptr : v.if_object();
    if (!o) {
        out.error = "not a JSON object";
        return out;
    }
    const boost::json::value* target = o->if_contains("order-id");
    if (!target) target = o->if_contains("domain-name");
    if (!target) {
        out.error = "the object has no \"order-id\" or \"domain-name\" member";
        return out;
    }
    out.given = cell_text(*target);
    if (auto twice = repeated_member(text)) {
        const std::string quoted = "\"" + *twice + "\"";
        const auto first = text.find(quoted);
        const auto second = first == std::string_view::npos ? first : text.find(quoted, first + 1);
        out.error = "member " + quoted + " is given twice: which one would count?";
        out.error_col = second == std::string_view::npos ? 1 : static_cast<int>(second) + 1;
        return out;
    }
    for (const auto& [key, value] : *o) {
        if (&value == target) continue;
        const auto at = text.find("\"" + std::string(key) + "\"");
        const int col = at == std::string_view::npos ? 1 : static_cast<int>(at) + 1;
        out.cells.push_back({std::string(key), std::string(trim(cell_text(value))), col});
    }
    out.order_id = parse_order_id(out.given);
    if (!out.order_id && !plausible_domain_name(out.given))
        out.error = engine::quoted_value(out.given) + " is neither an order id nor a domain name";
    return out;
}

std::optional<TargetLine> TargetFileReader::parse(std::string_view text) {
    TargetLine out;
    out.line = line_;
    if (column_ >= 0) {
        auto fields = split_csv(text);
        const auto target = static_cast<std::size_t>(column_);
        out.given = target < fields.size() ? fields[target].text : std::string(text);
        if (!header_problem_.empty()) {
            out.error = header_problem_;
            return out;
        }
        if (fields.size() != names_.size()) {
            out.error = "the line has " + std::to_string(fields.size()) + " cells, the header " +
                        std::to_string(names_.size()) + ": which cell is which?";
            out.error_col = fields.size() > names_.size() ? fields[names_.size()].col : 1;
            return out;
        }
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (static_cast<int>(i) != column_)
                out.cells.push_back({names_[i], fields[i].text, fields[i].col});
    } else {
        out.given = std::string(text);
    }
    out.order_id = parse_order_id(out.given);
    if (!out.order_id && !plausible_domain_name(out.given))
        out.error = engine::quoted_value(out.given) + " is neither an order id nor a domain name";
    return out;
}

}  // namespace rcbatch::jobs
