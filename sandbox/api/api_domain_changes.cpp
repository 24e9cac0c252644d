// Domain changes (api.md §7): renew with its exp-date fence, name servers, theft protection,
// privacy. Each accepted change is recorded in the action log with a fresh eaqid and takes
// effect now or later (Service::accept), as the backup changes do.
#include "sandbox/api/api.hpp"
#include "sandbox/api/changes.hpp"
#include "sandbox/api/service.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>

namespace rcbatch::sandbox {

namespace {

// A year of a domain of `product_key`, in thousandths of USD [guess: the sandbox's own prices].
std::int64_t yearly_price_milli(std::string_view product_key) {
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 3> prices{{
        {"dotin", 8'990},
        {"thirdleveldotin", 4'990},
        {"dotbharat", 7'490},
    }};
    for (const auto& [key, price] : prices)
        if (key == product_key) return price;
    return 12'990;
}

constexpr std::int64_t privacy_yearly_milli = 3'000;

// A host name a name server may have: dot-separated labels of letters, digits and '-'.
bool valid_host_name(std::string_view name) {
    if (name.empty() || name.size() > 253 || name.find('.') == std::string_view::npos) return false;
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

Order* changeable_domain(Context& ctx, Reply& error) {
    Order* o = find_order(ctx, "order-id", false, error);
    if (o == nullptr) return nullptr;
    if (auto refusal = refuse_change(*o)) {
        error = *refusal;
        return nullptr;
    }
    return o;
}

}  // namespace

Reply domain_renew(Context& ctx) {
    Reply error;
    Order* o = changeable_domain(ctx, error);
    if (o == nullptr) return error;
    const Params& p = ctx.params;
    auto years_text = p.get("years");
    if (!years_text) return api_error("Required parameter missing: years");
    auto years = parse_id(*years_text);
    if (!years || *years < 1 || *years > 10)
        return api_error("Invalid value for years: " + years_text->substr(0, 40));
    auto fence_text = p.get("exp-date");
    if (!fence_text) return api_error("Required parameter missing: exp-date");
    auto fence = parse_int(*fence_text);
    if (!fence) return api_error("Invalid value for exp-date: " + fence_text->substr(0, 40));
    auto option = p.get("invoice-option");
    if (!option) return api_error("Required parameter missing: invoice-option");
    if (!valid_invoice_option(*option))
        return api_error("Invalid value for invoice-option: " + option->substr(0, 40));
    auto auto_renew_text = p.get("auto-renew");
    bool auto_renew = false;
    if (!auto_renew_text) return api_error("Required parameter missing: auto-renew");
    if (!parse_bool(*auto_renew_text, auto_renew))
        return api_error("Invalid value for auto-renew: " + auto_renew_text->substr(0, 40));
    bool privacy = false;
    if (auto text = p.get("purchase-privacy"); text && !parse_bool(*text, privacy))
        return api_error("Invalid value for purchase-privacy: " + text->substr(0, 40));
    std::int64_t discount = 0;
    if (auto text = p.get("discount-amount")) {
        auto parsed = parse_amount_milli(*text);
        if (!parsed) return api_error("Invalid value for discount-amount: " + text->substr(0, 40));
        discount = *parsed;
    }
    // The fence: a renew names the expiry it believes is current, so a replay of an applied
    // renew is refused instead of charged again (api.md §7; the text is the sandbox's [guess]).
    if (*fence != o->end_time) return api_error(msg::renew_fence);

    const int n = static_cast<int>(*years);
    Service& svc = ctx.service;
    ActionRecord& rec = svc.record_action(*o, "RenewDomain",
                                          "Renewal of " + o->description + " for " +
                                              std::to_string(n) + (n == 1 ? " year" : " years"));
    o->auto_renew = auto_renew;
    const std::int64_t yearly =
        yearly_price_milli(o->product_key) + (privacy ? privacy_yearly_milli : 0);
    const std::int64_t price = std::max<std::int64_t>(0, yearly * n - discount);
    PendingAction change;
    change.months = 12 * n;
    change.turn_on = privacy && o->privacy_allowed;
    return accept_paid_change(ctx, *o, rec, std::move(change), *option, price, "USD");
}

Reply domain_modify_ns(Context& ctx) {
    Reply error;
    Order* o = changeable_domain(ctx, error);
    if (o == nullptr) return error;
    std::vector<std::string> ns = ctx.params.all("ns");
    if (ns.empty()) return api_error("Required parameter missing: ns");
    if (ns.size() > 13) return api_error("Invalid value for ns: at most 13 name servers");
    for (const std::string& name : ns)
        if (!valid_host_name(name)) return api_error("Invalid value for ns: " + name.substr(0, 40));
    PendingAction change;
    change.name_servers = std::move(ns);
    return accept_change(ctx, *o, "ModNS", "Modification of the name servers of " + o->description,
                         std::move(change));
}

Reply domain_enable_theft_protection(Context& ctx) {
    Reply error;
    Order* o = changeable_domain(ctx, error);
    if (o == nullptr) return error;
    PendingAction change;
    change.turn_on = true;
    return accept_change(ctx, *o, "EnableTheftProtection", "Theft protection of " + o->description,
                         std::move(change));
}

Reply domain_disable_theft_protection(Context& ctx) {
    Reply error;
    Order* o = changeable_domain(ctx, error);
    if (o == nullptr) return error;
    return accept_change(ctx, *o, "DisableTheftProtection",
                         "Removal of the theft protection of " + o->description, {});
}

Reply domain_modify_privacy(Context& ctx) {
    Reply error;
    Order* o = changeable_domain(ctx, error);
    if (o == nullptr) return error;
    auto text = ctx.params.get("protect-privacy");
    if (!text) return api_error("Required parameter missing: protect-privacy");
    bool on = false;
    if (!parse_bool(*text, on))
        return api_error("Invalid value for protect-privacy: " + text->substr(0, 40));
    auto reason = ctx.params.get("reason");
    if (!reason || reason->empty()) return api_error("Required parameter missing: reason");
    if (on && !o->privacy_allowed) return api_error(msg::privacy_not_allowed);
    PendingAction change;
    change.turn_on = on;
    return accept_change(ctx, *o, "ModifyPrivacyProtection",
                         std::string(on ? "Privacy protection of "
                                        : "Removal of the privacy "
                                          "protection of ") +
                             o->description,
                         std::move(change));
}

}  // namespace rcbatch::sandbox
