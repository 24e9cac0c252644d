#include "engine/net/proxy.hpp"

#include "engine/text/ascii_case.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace rcbatch::engine {

namespace {

ProxyParse refuse(std::string_view url, const std::string& why) {
    return {std::nullopt, "'" + redact_proxy_url(url) + "' " + why};
}

// Decimal digits only, at most `max`; nullopt otherwise.
std::optional<std::uint32_t> number(std::string_view text, std::uint32_t max) {
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const auto value = static_cast<std::uint32_t>(std::stoul(std::string(text)));
    if (value > max) return std::nullopt;
    return value;
}

// An IP literal as bytes: 4 for IPv4, 16 for IPv6, 0 when `text` is not one.
std::size_t parse_ip(std::string_view text, std::array<unsigned char, 16>& bytes) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    const std::string s(text);
    if (inet_pton(AF_INET, s.c_str(), bytes.data()) == 1) return 4;
    if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) return 16;
    return 0;
}

// Whether the address `host` (n bytes) is in `entry` ("addr" or "addr/bits", curl's CIDR).
bool address_matches(const std::array<unsigned char, 16>& host, std::size_t n,
                     std::string_view entry) {
    std::size_t bits = n * 8;
    if (auto slash = entry.find('/'); slash != std::string_view::npos) {
        const auto value = number(entry.substr(slash + 1), static_cast<std::uint32_t>(n * 8));
        if (!value) return false;
        if (*value != 0) bits = *value;  // curl: "/0" means the whole address
        entry = entry.substr(0, slash);
    }
    std::array<unsigned char, 16> net{};
    if (parse_ip(entry, net) != n) return false;
    const std::size_t whole = bits / 8, rest = bits % 8;
    if (std::memcmp(host.data(), net.data(), whole) != 0) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (host[whole] & mask) == (net[whole] & mask);
}

// Whether the host name `name` (trailing dot removed) is `entry` or under it.
bool name_matches(std::string_view name, std::string_view entry) {
    if (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (entry.empty() || entry.size() > name.size()) return false;
    if (entry.size() == name.size()) return iequals(entry, name);
    return name[name.size() - entry.size() - 1] == '.' &&
           iequals(entry, name.substr(name.size() - entry.size()));
}

std::string base64(std::string_view in) {
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < in.size(); i += 3) {
        std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? table[v & 63] : '=';
    }
    return out;
}

std::string first_set(const std::map<std::string, std::string>& env,
                      std::initializer_list<const char*> names, std::string& which) {
    for (const char* name : names)
        if (auto it = env.find(name); it != env.end() && !it->second.empty()) {
            which = name;
            return it->second;
        }
    return {};
}

}  // namespace

std::string ProxySettings::authority() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ProxySettings::display() const {
    return "http://" + (has_credentials() ? user + ":***@" : std::string()) + authority();
}

std::string redact_proxy_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const auto at = url.rfind('@');
    if (at == std::string_view::npos || at < start) return std::string(url);
    const auto colon = url.find(':', start);
    if (colon == std::string_view::npos || colon > at) return std::string(url);
    return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

ProxyParse parse_proxy_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    const std::string scheme =
        scheme_end == std::string_view::npos ? "http" : ascii_lower(url.substr(0, scheme_end));
    if (scheme == "https")
        return refuse(url,
                      "is an https:// proxy, which rcbatch does not support: give the proxy's "
                      "http:// address (the TLS connection to the API still runs end to end "
                      "through it)");
    if (scheme != "http")
        return refuse(url, "is not an http:// proxy URL (only http:// proxies are supported)");
    const std::string text =
        scheme_end == std::string_view::npos ? "http://" + std::string(url) : std::string(url);
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed || parsed->host_address().empty())
        return refuse(url, "is not a proxy URL (expected http://[user:password@]host[:port])");
    if ((parsed->path() != "" && parsed->path() != "/") || parsed->has_query() ||
        parsed->has_fragment())
        return refuse(url,
                      "has a path or query; a proxy URL is http://[user:password@]host[:port]");
    ProxySettings p;
    p.host = parsed->host_address();
    if (parsed->has_port() && !parsed->port().empty()) {
        const auto port = number(parsed->port(), 65535);
        if (!port || *port == 0) return refuse(url, "has a bad port (1 to 65535)");
        p.port = static_cast<std::uint16_t>(*port);
    }
    if (parsed->has_userinfo()) {
        p.user = parsed->user();
        p.password = parsed->password();
    }
    return {std::move(p), {}};
}

bool no_proxy_matches(std::string_view host, std::string_view list) {
    if (host.empty() || list.empty()) return false;
    if (list == "*") return true;
    std::array<unsigned char, 16> address{};
    const std::size_t family = parse_ip(host, address);
    if (family == 0 && host.back() == '.') host.remove_suffix(1);
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && (list[i] == ',' || list[i] == ' ' || list[i] == '\t')) ++i;
        std::size_t end = i;
        while (end < list.size() && list[end] != ',' && list[end] != ' ' && list[end] != '\t')
            ++end;
        const std::string_view entry = list.substr(i, end - i);
        i = end;
        if (entry.empty()) continue;
        if (family != 0 ? address_matches(address, family, entry) : name_matches(host, entry))
            return true;
    }
    return false;
}

std::map<std::string, std::string> proxy_environment() {
    std::map<std::string, std::string> env;
    for (const char* name :
         {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"})
        if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
            env[name] = value;
    return env;
}

ProxyDecision choose_proxy(const std::optional<std::string>& profile_proxy, std::string_view host,
                           const std::map<std::string, std::string>& environment) {
    ProxyDecision d;
    if (profile_proxy) {
        d.source = "profile";
        if (profile_proxy->empty())
            return d;  // proxy = "": no proxy, whatever the environment says
        auto parsed = parse_proxy_url(*profile_proxy);
        d.proxy = std::move(parsed.proxy);
        if (d.proxy) d.proxy->source = "the profile's proxy";
        if (!parsed.error.empty()) d.error = "the profile's proxy " + parsed.error;
        return d;
    }
    std::string no_proxy_name;
    const std::string no_proxy = first_set(environment, {"no_proxy", "NO_PROXY"}, no_proxy_name);
    if (no_proxy_matches(host, no_proxy)) return d;
    const std::string url =
        first_set(environment, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}, d.source);
    if (url.empty()) return d;
    auto parsed = parse_proxy_url(url);
    d.proxy = std::move(parsed.proxy);
    if (d.proxy) d.proxy->source = d.source;
    if (!parsed.error.empty()) d.error = d.source + " " + parsed.error;
    return d;
}

std::string proxy_authorization(const ProxySettings& proxy) {
    if (!proxy.has_credentials()) return {};
    return "Basic " + base64(proxy.user + ":" + proxy.password);
}

}  // namespace rcbatch::engine
