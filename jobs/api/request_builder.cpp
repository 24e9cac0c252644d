#include "jobs/api/request_builder.hpp"

#include "engine/secret/redact.hpp"
#include "jobs/api/text_fields.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace rcbatch::jobs {

namespace {

std::string encode(std::string_view s) {
    return boost::urls::encode(s, boost::urls::unreserved_chars);
}

class QueryBuilder {
  public:
    void add_text(std::string_view name, std::string_view value) {
        if (!query_.empty()) query_ += '&';
        query_ += encode(name);
        query_ += '=';
        query_ += encode(value);
    }
    void add_param(std::string_view name, const ParamValue& value) {
        std::visit([&](const auto& v) { add_value(name, v); }, value);
    }
    const std::string& str() const { return query_; }

  private:
    void add_value(std::string_view name, std::int64_t v) { add_text(name, std::to_string(v)); }
    void add_value(std::string_view name, double v) { add_text(name, format_number(v)); }
    void add_value(std::string_view name, bool v) {
        add_text(name, std::string_view(v ? "true" : "false"));
    }
    void add_value(std::string_view name, const std::string& v) {
        add_text(name, std::string_view(v));
    }
    void add_value(std::string_view name, const std::vector<std::string>& list) {
        for (const std::string& v : list) add_text(name, std::string_view(v));
    }
    void add_value(std::string_view name, const std::vector<std::int64_t>& list) {
        for (std::int64_t v : list) add_text(name, std::to_string(v));
    }

    std::string query_;
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace

std::optional<std::int64_t> integer_param(const std::vector<CallParam>& params,
                                          std::string_view name) {
    for (const CallParam& p : params)
        if (p.name == name) {
            if (const auto* n = std::get_if<std::int64_t>(&p.value)) return *n;
            return std::nullopt;
        }
    return std::nullopt;
}

std::string format_number(double value) {
    if (!std::isfinite(value)) throw std::invalid_argument("a parameter number is not finite");
    if (value == 0) return "0";  // also -0
    std::array<char, 400> buf{};
    const auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed);
    if (ec != std::errc{}) throw std::invalid_argument("a parameter number cannot be written");
    return std::string(buf.data(), end);
}

namespace {
const ParamSpec* path_param(const ActionSpec& spec, std::string_view name) {
    for (const ParamSpec& p : spec.params)
        if (p.name == name && !p.in_path.empty()) return &p;
    return nullptr;
}

// `path` with each `{param}` of a parameter that picks the path replaced by its text.
std::string chosen_path(const ActionSpec& spec, const CallParams& call) {
    std::string path = call.path;
    for (const ParamSpec& p : spec.params) {
        if (p.in_path.empty()) continue;
        std::string_view text;
        for (const CallParam& given : call.params)
            if (const bool* b = std::get_if<bool>(&given.value); b && given.name == p.name)
                for (const auto& [value, words] : p.in_path)
                    if (value == (*b ? "true" : "false")) text = words;
        if (text.empty())
            throw std::invalid_argument(std::string(spec.name) + " needs " + std::string(p.name) +
                                        " to choose its path");
        const std::string placeholder = "{" + std::string(p.name) + "}";
        if (auto at = path.find(placeholder); at != std::string::npos)
            path.replace(at, placeholder.size(), text);
    }
    return path;
}
}  // namespace

engine::HttpRequest build_request(const ActionSpec& spec, const CallParams& call) {
    QueryBuilder q;
    q.add_text("auth-userid", std::string_view(call.auth_userid));
    q.add_text("api-key", std::string_view(call.api_key));
    if (!spec.id_param.empty()) {
        if (call.order_id.empty())
            throw std::invalid_argument(std::string(spec.name) + " needs an order id (" +
                                        std::string(spec.id_param) + ")");
        q.add_text(spec.id_param, std::string_view(call.order_id));
    }
    for (const CallParam& p : call.params)
        if (!path_param(spec, p.name)) q.add_param(p.name, p.value);

    boost::urls::url url;
    url.set_path(chosen_path(spec, call));
    engine::HttpRequest request;
    request.mutating = spec.mutating;
    if (spec.method == HttpMethod::get || call.post_params_in_query) {
        url.set_encoded_query(q.str());
    } else {
        request.body = q.str();
    }
    request.method = spec.method;
    request.target = std::string(url.buffer());
    return request;
}

std::string redact(std::string_view text) { return engine::redact(text); }

std::string redact(std::string_view text, std::string_view secret) {
    std::string out = engine::redact(text);
    if (secret.empty()) return out;
    // Longest forms first, so a replaced encoded form is not matched again as a literal.
    std::string once = encode(secret);
    std::string twice = encode(once);
    for (const std::string& form : {twice, once, std::string(secret)})
        replace_all(out, form, "***");
    return out;
}

std::string describe(const engine::HttpRequest& request) {
    std::string line(to_string(request.method));
    line += ' ';
    line += request.target;
    if (!request.body.empty()) {
        line += " body: ";
        line += request.body;
    }
    return redact(line);
}

}  // namespace rcbatch::jobs
