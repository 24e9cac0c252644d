#include "jobs/api/reply_reader.hpp"

#include "engine/secret/redact.hpp"
#include "jobs/api/text_fields.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace rcbatch::jobs {

namespace json = boost::json;
using Kind = engine::ReplyVerdict::Kind;

std::vector<std::string> ReplyOptions::default_fatal_patterns() {
    return {
        "access denied",  // "Access Denied. You are not authorized to perform this action."
        "not authorized to perform",  // the same text without its prefix
        "invalid credentials",
        "invalid api key",
        "invalid api-key",
        "invalid auth-userid",
        "authentication failed",
        "whitelist",  // "IP ... is not whitelisted", "add it to the whitelist"
    };
}

std::vector<std::string> ReplyOptions::default_transient_patterns() {
    // Only texts that say the server turned the request away before doing anything, so a
    // retry cannot apply a paid action twice. Excluded on purpose: "There is already an
    // action pending on this Order." (a state of the order, the same on every retry, and for
    // a renew the sign that it DID happen), timeouts and "unexpected error" texts (the action
    // may have been half done: that is for reconciliation, not for a blind retry).
    return {
        "try again later", "temporarily unavailable", "too many requests", "rate limit",
        "server is busy",  "system is busy",          "under maintenance",
    };
}

namespace {

bool icontains(std::string_view text, std::string_view needle) {
    if (needle.empty()) return false;
    for (std::size_t i = 0; i + needle.size() <= text.size(); ++i)
        if (istarts_with(text.substr(i), needle)) return true;
    return false;
}

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (b < 0x80) {
        cp = b;
        return 1;
    }
    if ((b & 0xE0) == 0xC0) {
        len = 2;
        cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        len = 3;
        cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        len = 4;
        cp = b & 0x07;
    } else
        return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool dropped_code_point(std::uint32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// A JSON value as message text: strings as they are, null as nothing, the rest serialised.
std::string text_of(const json::value* v) {
    if (v == nullptr || v->is_null()) return {};
    if (v->is_string()) return std::string(v->get_string());
    return json::serialize(*v);
}

std::string first_text(const json::object& obj, std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys)
        if (std::string t = text_of(obj.if_contains(key)); !trim(t).empty()) return t;
    return {};
}

std::string status_text(const json::object& obj, std::string_view key) {
    const json::value* v = obj.if_contains(key);
    return (v != nullptr && v->is_string()) ? std::string(v->get_string()) : std::string{};
}

// The error message of a top-level error shape, or nullopt for a success object. Only the
// object's own keys are looked at: a nested {"status":"error"} is a sub-result, not a failure.
std::optional<std::string> error_of(const json::object& obj) {
    if (const json::value* ev = obj.if_contains("errorvalue"); ev != nullptr && !ev->is_null()) {
        if (ev->is_object()) {
            std::string t = first_text(ev->get_object(), {"error", "message"});
            return t.empty() ? json::serialize(*ev) : t;
        }
        return text_of(ev);
    }
    const std::string status = status_text(obj, "status");
    if (engine::iequals(status, "error"))
        return first_text(obj, {"message", "error", "actionstatusdesc", "description"});
    if (engine::iequals(status, "failed") || engine::iequals(status, "failure") ||
        engine::iequals(status_text(obj, "actionstatus"), "failed"))
        return first_text(obj, {"actionstatusdesc", "message", "error", "description"});
    return std::nullopt;
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

std::string status_suffix(int status) {
    return status > 0 ? " (HTTP " + std::to_string(status) + ")" : std::string{};
}

// The visible text of an HTML page, roughly: tags removed. Only used for messages.
std::string strip_tags(std::string_view html) {
    std::string out;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<')
            in_tag = true;
        else if (c == '>') {
            in_tag = false;
            out += ' ';
        } else if (!in_tag)
            out += c;
    }
    return out;
}

engine::ReplyVerdict verdict(Kind kind, std::string message, const ReplyOptions& options) {
    engine::ReplyVerdict v;
    v.kind = kind;
    v.message = clean_text(message, options.max_message);
    return v;
}

engine::ReplyVerdict error_verdict(const std::string& raw, const ReplyOptions& options) {
    const std::string message = trim(raw).empty() ? "API error without a message" : raw;
    if (matches_any(message, options.fatal_patterns)) return verdict(Kind::fatal, message, options);
    engine::ReplyVerdict v = verdict(Kind::api_error, message, options);
    v.retryable_message = matches_any(message, options.transient_patterns);
    return v;
}

engine::ReplyVerdict read_text(int status, std::string_view content_type, std::string_view body,
                               const ReplyOptions& options) {
    const std::string_view text = trim(body);
    if (text.empty())
        return verdict(Kind::unreadable, "empty reply" + status_suffix(status), options);
    const bool html = icontains(content_type, "html") || text.front() == '<';
    const std::string visible = html ? strip_tags(text) : std::string(text);
    if (matches_any(visible, options.fatal_patterns)) return verdict(Kind::fatal, visible, options);
    if (html)
        return verdict(Kind::unreadable,
                       "HTML page instead of an API reply" + status_suffix(status) + ": " + visible,
                       options);
    if (istarts_with(text, "success") && is_2xx(status)) {
        engine::ReplyVerdict v;
        v.kind = Kind::ok;
        v.value = json::string(clean_text(text, options.max_message));
        return v;
    }
    return verdict(Kind::unreadable,
                   "reply is not valid JSON" + status_suffix(status) + ": " + std::string(text),
                   options);
}

}  // namespace

bool matches_any(std::string_view text, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return icontains(text, p); });
}

std::string clean_text(std::string_view text, std::size_t max_bytes) {
    const std::string redacted = engine::redact(text);
    text = redacted;
    std::string out;
    bool space_pending = false;
    for (std::size_t i = 0; i < text.size() && out.size() <= max_bytes;) {
        std::uint32_t cp = 0;
        const std::size_t len = utf8_sequence(text, i, cp);
        if (len == 0) {
            ++i;
            continue;
        }  // invalid UTF-8: dropped
        const std::string_view seq = text.substr(i, len);
        i += len;
        if (cp == ' ' || (cp >= '\t' && cp <= '\r')) {
            space_pending = true;
            continue;
        }
        if (dropped_code_point(cp)) continue;
        if (space_pending && !out.empty()) out += ' ';
        space_pending = false;
        out += seq;
    }
    if (out.size() > max_bytes) {
        constexpr std::string_view ellipsis = "...";
        std::size_t cut = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += ellipsis;
    }
    return out;
}

bool has_non_finite(const json::value& v) {
    switch (v.kind()) {
        case json::kind::double_:
            return !std::isfinite(v.get_double());
        case json::kind::array:
            return std::any_of(v.get_array().begin(), v.get_array().end(), has_non_finite);
        case json::kind::object:
            for (const auto& member : v.get_object())
                if (has_non_finite(member.value())) return true;
            return false;
        default:
            return false;
    }
}

std::string quote_huge_numbers(std::string_view json_text) {
    std::string out;
    out.reserve(json_text.size() + 8);
    bool in_string = false;
    for (std::size_t i = 0; i < json_text.size();) {
        const char c = json_text[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < json_text.size())
                out += json_text[++i];
            else if (c == '"')
                in_string = false;
            ++i;
            continue;
        }
        if (c == '"') in_string = true;
        if (c != '-' && (c < '0' || c > '9')) {
            out += c;
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        while (end < json_text.size() &&
               std::string_view("0123456789+-.eE").find(json_text[end]) != std::string_view::npos)
            ++end;
        const std::string number(json_text.substr(i, end - i));
        const double parsed = std::strtod(number.c_str(), nullptr);
        if (std::isfinite(parsed))
            out += number;
        else
            out += '"' + number + '"';
        i = end;
    }
    return out;
}

engine::ReplyVerdict read_reply(int http_status, std::string_view content_type,
                                std::string_view body, const ReplyOptions& options) {
    boost::system::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec) return read_text(http_status, content_type, body, options);
    // Boost.JSON reads 1e999 as infinity and would write it back as `Infinity`, which no JSON
    // reader takes: such a number is kept as the server's text instead.
    if (has_non_finite(value)) value = json::parse(quote_huge_numbers(body), ec);

    if (value.is_object()) {
        if (std::optional<std::string> error = error_of(value.get_object()))
            return error_verdict(*error, options);
    } else if (value.is_string()) {
        // A bare JSON string may carry the auth refusal as well as a success text.
        if (matches_any(value.get_string(), options.fatal_patterns))
            return verdict(Kind::fatal, std::string(value.get_string()), options);
    } else if (value.is_null()) {
        return verdict(Kind::unreadable, "reply is JSON null" + status_suffix(http_status),
                       options);
    }

    if (!is_2xx(http_status))
        return verdict(Kind::unreadable,
                       "HTTP " + std::to_string(http_status) +
                           " with a reply that is not an API error: " + std::string(trim(body)),
                       options);
    engine::ReplyVerdict v;
    v.kind = Kind::ok;
    v.value = std::move(value);
    return v;
}

engine::ReplyVerdict read_reply(const engine::HttpExchange& exchange, const ReplyOptions& options) {
    using engine::Transport;
    switch (exchange.transport) {
        case Transport::complete:
            return read_reply(exchange.status, exchange.content_type, exchange.body, options);
        case Transport::truncated:
            return verdict(Kind::unreadable,
                           "reply cut short" + status_suffix(exchange.status) +
                               (exchange.error.empty() ? "" : ": " + exchange.error),
                           options);
        case Transport::not_sent:
        case Transport::closed_before_reply:
        case Transport::timeout_after_send:
            break;
    }
    return verdict(Kind::unreadable,
                   exchange.error.empty() ? std::string("no reply") : exchange.error, options);
}

}  // namespace rcbatch::jobs
