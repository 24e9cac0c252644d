#pragma once
// One API call as an engine::HttpRequest (api.md §1): auth, the order id and the job's
// parameters, percent-encoded with Boost.URL. Plus the redaction every log line and preview
// goes through: the api-key never leaves this process except in the request itself.

#include "engine/net/http_request.hpp"
#include "engine/secret/private_memory.hpp"
#include "jobs/actions/action_spec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rcbatch::jobs {

// The same alternatives as config::ParamValue (jobs/ cannot include config/), so a job's
// values convert without a copy of the variant's logic.
using ParamValue = std::variant<std::int64_t, double, bool, std::string, std::vector<std::string>,
                                std::vector<std::int64_t>>;

struct CallParam {
    std::string name;  // as the API names it
    ParamValue value;
};

struct CallParams {
    std::string path;         // already chosen for the region / the profile's override
    std::string auth_userid;  // the reseller id
    engine::WipedString api_key;
    std::string order_id;           // sent as the action's id_param; required when it has one
    std::vector<CallParam> params;  // the job's parameters, in file order
    // POST: put auth and parameters in the query string (the vendor's examples) instead of a
    // form body (working clients; keeps the key out of URLs that proxies log). Both are
    // accepted by the API [doc]/[seen].
    bool post_params_in_query = false;
};

// The whole-number value of the parameter `name`, or nullopt when absent or not one.
std::optional<std::int64_t> integer_param(const std::vector<CallParam>& params,
                                          std::string_view name);

// GET: everything in the query string, empty body. POST: target is the path alone and the
// body is application/x-www-form-urlencoded (unless post_params_in_query). The order is
// auth-userid, api-key, the id parameter, then `params`. Lists are repeated keys, booleans
// true/false, numbers in fixed notation. Every name and value is percent-encoded except the
// RFC 3986 unreserved characters (so '+', '&', '=' and ' ' in a key survive form decoding).
// Throws std::invalid_argument when the action needs an order id and none is given, or a
// number is not finite.
engine::HttpRequest build_request(const ActionSpec& spec, const CallParams& call);

// A number as the API expects it: fixed notation, shortest form that reads back the same
// ("12.5", "0", "0.1", "1000000"). Throws std::invalid_argument for NaN and infinities.
std::string format_number(double value);

// `text` with the value of every `api-key=` (also percent-encoded as `api-key%3D`, any case)
// replaced by `***`, in query strings, form bodies, URLs and free text.
std::string redact(std::string_view text);
// The same, and every literal or percent-encoded occurrence of `secret` replaced as well.
std::string redact(std::string_view text, std::string_view secret);

// One redacted line for dry-run previews and logs: "GET /api/x.json?a=1&api-key=***" or
// "POST /api/x.json body: a=1&api-key=***".
std::string describe(const engine::HttpRequest& request);

}  // namespace rcbatch::jobs
