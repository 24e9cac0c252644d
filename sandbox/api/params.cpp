#include "sandbox/api/params.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include <charconv>

namespace rcbatch::sandbox {

bool Params::add_encoded(std::string_view encoded) {
    if (encoded.empty()) return true;
    // Boost 1.81's parse_query (params_view's too) reads up to a NUL, past the end of the view
    // (boostorg/url#757): a NUL-terminated copy, and none inside.
    if (encoded.find('\0') != std::string_view::npos) return false;
    const std::string text(encoded);
    if (!boost::urls::parse_query(text)) return false;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    boost::urls::params_view view(text, opt);
    for (auto param : view) {
        if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
        add(std::string(param.key), std::string(param.value));
    }
    return true;
}

void Params::add(std::string key, std::string value) {
    items_.emplace_back(std::move(key), std::move(value));
}

std::optional<std::string> Params::get(std::string_view key) const {
    for (const auto& [k, v] : items_)
        if (k == key) return v;
    return std::nullopt;
}

std::vector<std::string> Params::all(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : items_)
        if (k == key) out.push_back(v);
    return out;
}

std::optional<std::uint64_t> parse_id(std::string_view text) noexcept {
    std::uint64_t v = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_int(std::string_view text) noexcept {
    std::int64_t v = 0;
    if (text.empty() || text.front() == '+') return std::nullopt;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return v;
}

}  // namespace rcbatch::sandbox
