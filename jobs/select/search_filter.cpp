#include "jobs/select/search_filter.hpp"

#include "jobs/plan/plan_binding.hpp"

#include <type_traits>

namespace rcbatch::jobs {

std::string search_filter_text(const SearchFilter& f) {
    std::string out;
    auto add = [&](std::string_view key, const std::string& value) {
        out += (out.empty() ? "" : " ") + std::string(key) + "=" + value;
    };
    auto list = [](const auto& values) {
        std::string text = "[";
        for (const auto& v : values) {
            if (text.size() > 1) text += ",";
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
                text += v;
            else
                text += std::to_string(v);
        }
        return text + "]";
    };
    if (!f.status.empty()) add("status", list(f.status));
    if (f.expires_within) add("expires-within-ms", std::to_string(f.expires_within->count()));
    if (f.expired_since) add("expired-since-ms", std::to_string(f.expired_since->count()));
    if (!f.order_ids.empty()) add("order-ids", list(f.order_ids));
    if (!f.customer_ids.empty()) add("customer-ids", list(f.customer_ids));
    if (!f.product_keys.empty()) add("product-keys", list(f.product_keys));
    if (f.domain_name) add("domain-name", *f.domain_name);
    if (!f.excluded.empty())
        add("excluded", std::to_string(f.excluded.size()) + " " + short_sha256(list(f.excluded)));
    return out.empty() ? "(all)" : out;
}

const std::vector<std::string>& default_nixi_product_keys() {
    static const std::vector<std::string> keys{"dotin", "thirdleveldotin", "dotbharat"};
    return keys;
}

}  // namespace rcbatch::jobs
