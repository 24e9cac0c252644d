#include "serve/pages/page_query.hpp"

#include "engine/text/display_text.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <chrono>

namespace rcbatch::serve {

namespace {
// Valid UTF-8 without control characters (a NUL, an escape sequence, a line break).
bool clean_text(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        char32_t code_point = 0;
        const std::size_t n = engine::utf8_sequence(text.substr(at), code_point);
        if (n == 0 || code_point < 0x20 || code_point == 0x7f ||
            engine::is_unsafe_code_point(code_point))
            return false;
        at += n;
    }
    return true;
}
}  // namespace

const std::string& PageQuery::value(const std::string& name) const {
    static const std::string none;
    auto it = values.find(name);
    return it == values.end() ? none : it->second;
}

std::optional<PageQuery> parse_page_query(std::string_view target, std::string& error) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) {
        error = "the request's target is not a path";
        return std::nullopt;
    }
    PageQuery query;
    for (auto segment : url->segments()) {
        if (segment.empty()) continue;
        if (!clean_text(segment) || segment.size() > max_query_value_bytes) {
            error = "a path segment is not text the pages take";
            return std::nullopt;
        }
        query.segments.emplace_back(segment);
    }
    for (auto param : url->params()) {
        if (!param.has_value) continue;
        if (!clean_text(param.key) || !clean_text(param.value) ||
            param.value.size() > max_query_value_bytes) {
            error = "a query value is too long or not text the pages take";
            return std::nullopt;
        }
        query.values.emplace(param.key, param.value);
    }
    return query;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 1)
        return std::nullopt;
    return n;
}

std::optional<std::int64_t> day_start(std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto part = [&](std::size_t at, std::size_t n, auto& out) {
        const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
        return ec == std::errc() && end == text.data() + at + n;
    };
    if (!part(0, 4, y) || !part(5, 2, m) || !part(8, 2, d)) return std::nullopt;
    const std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(d)};
    if (!day.ok()) return std::nullopt;
    return std::chrono::sys_days(day).time_since_epoch().count() * 86400;
}

}  // namespace rcbatch::serve
