#include "jobs/actions/action_spec.hpp"

namespace rcbatch::jobs {

std::string_view to_string(HttpMethod m) noexcept { return m == HttpMethod::get ? "GET" : "POST"; }

std::string_view to_string(ParamType t) noexcept {
    switch (t) {
        case ParamType::integer:
            return "integer";
        case ParamType::number:
            return "number";
        case ParamType::boolean:
            return "boolean";
        case ParamType::string:
            return "string";
        case ParamType::string_list:
            return "list of strings";
        case ParamType::integer_list:
            return "list of integers";
    }
    return "?";
}

bool needs_region(const ActionSpec& spec) noexcept {
    return spec.path.find("{region}") != std::string_view::npos;
}

std::string path_for(const ActionSpec& spec, std::string_view region) {
    return fill_region(spec.path, region);
}

std::string fill_region(std::string_view template_path, std::string_view region) {
    std::string path(template_path);
    constexpr std::string_view placeholder = "{region}";
    if (auto at = path.find(placeholder); at != std::string::npos)
        path.replace(at, placeholder.size(), region);
    return path;
}

const std::vector<std::string_view>& regions() {
    static const std::vector<std::string_view> list{"us", "asia"};
    return list;
}

}  // namespace rcbatch::jobs
