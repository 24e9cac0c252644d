// libFuzzer target: the answers `rcbatch serve` gives before a page is rendered
// (request_rules.hpp). Any method, target, headers and body: a request reaches a page only
// with a known method and an origin-form target within the limit, from a loopback Host when
// there is no token, and carrying the token when there is one; no answer's body shows the token.
#include "serve/http/request_rules.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {
constexpr std::size_t target_bytes = 2048;
const std::string the_token = "0123456789abcdefXYZ";

// The input's parts, split at NUL bytes; missing ones are empty.
std::vector<std::string_view> parts(std::string_view data, std::size_t n) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < n) {
        const auto nul = data.find('\0');
        if (nul == std::string_view::npos) break;
        out.push_back(data.substr(0, nul));
        data.remove_prefix(nul + 1);
    }
    out.push_back(data);
    out.resize(n);
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rcbatch::serve;
    if (size == 0) return 0;
    const std::uint8_t flags = data[0];
    const auto p = parts(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), 7);
    const RequestFacts facts{p[0], p[1], p[2], p[3], p[4], p[5], (flags & 1) != 0, p[6]};
    const std::optional<std::string> token =
        (flags & 2) != 0 ? std::optional<std::string>(the_token) : std::nullopt;

    const auto answer = answer_before_handler(facts, token, target_bytes);
    const bool post = facts.method == "POST";
    const bool login = path_of(facts.target) == "/login";
    if (!answer) {
        if (!facts.target.starts_with('/') || facts.target.size() > target_bytes) std::abort();
        if (facts.method != "GET" && facts.method != "HEAD" && !post) std::abort();
        if (post && !login) std::abort();
        if (!token && !loopback_host(facts.host)) std::abort();
        if (token && (login || (facts.authorization.find(*token) == std::string_view::npos &&
                                facts.cookie.find(*token) == std::string_view::npos)))
            std::abort();
        return 0;
    }
    const PageResponse& r = answer->response;
    if (r.status < 200 || r.status > 599) std::abort();
    if (r.body.find(the_token) != std::string::npos) std::abort();
    if (r.status < 400 && !(token && login)) std::abort();  // the login form and its 303 only
    if (r.status == 303 && !post) std::abort();
    return 0;
}
