#pragma once
// Which HTTP proxy a connection to the API goes through, decided as curl decides it for an
// https:// URL, plus what a proxy URL may be. Pure: no I/O (proxy_environment() only reads
// the process environment).
//
// The rules (curl's): a profile's `proxy` wins over the environment, and `proxy = ""` means
// "no proxy" whatever the environment says (curl's --proxy ""). Otherwise the first non-empty
// one of https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY names the proxy, unless the first
// non-empty one of no_proxy, NO_PROXY exempts the API host. NO_PROXY is "*" (every host) or a
// list of names and addresses separated by commas and/or blanks:
//   - a name matches that host and every host under it ("example.com" and ".example.com"
//     both match example.com and api.example.com, never notexample.com), case-insensitively,
//     trailing dots ignored;
//   - an IP address (IPv6 with or without brackets, optionally with a /bits CIDR suffix)
//     matches a host given as that address; an address host never matches a name entry;
//   - an entry with a :port matches nothing (curl does not support ports there).
// A profile's proxy is not subject to NO_PROXY: it is this profile's explicit choice.

#include "engine/net/endpoint.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

struct ProxyParse {
    std::optional<ProxySettings> proxy;  // set when the URL is good
    std::string error;                   // else one line, any password shown as ***
};

// Reads "[http://][user[:password]@]host[:port][/]" (userinfo percent-decoded; no scheme
// means http://; no port means 1080, as curl). Refuses https:// proxies (TLS to the proxy
// itself), other schemes, paths, queries and bad ports with a clear error.
ProxyParse parse_proxy_url(std::string_view url);

// `url` with the password of its userinfo (between the first ':' after "scheme://" and the
// last '@') replaced by "***". Text without userinfo is returned as it is.
std::string redact_proxy_url(std::string_view url);

// Whether NO_PROXY-style `list` exempts `host` (a name, or an IPv4/IPv6 literal, bracketed or
// not) from the proxy. See the rules above.
bool no_proxy_matches(std::string_view host, std::string_view list);

// The six variables curl reads (https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY, no_proxy,
// NO_PROXY) that are set to a non-empty value in this process's environment.
std::map<std::string, std::string> proxy_environment();

struct ProxyDecision {
    std::optional<ProxySettings> proxy;  // the proxy to use; nullopt: connect directly
    std::string source;  // "profile", or the variable that named the proxy; empty: none did
    std::string error;   // a bad proxy URL (one line, redacted, naming its source): refuse to run
};

// The proxy for a connection to `host`: `profile_proxy` (nullopt: the profile has no `proxy`
// key) and then `environment` (variable name -> non-empty value, see proxy_environment()).
ProxyDecision choose_proxy(const std::optional<std::string>& profile_proxy, std::string_view host,
                           const std::map<std::string, std::string>& environment);

// "Basic base64(user:password)" for Proxy-Authorization; empty when there are no credentials.
std::string proxy_authorization(const ProxySettings& proxy);

}  // namespace rcbatch::engine
