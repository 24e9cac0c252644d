#include "sandbox/data/seed_data.hpp"

#include "sandbox/data/prng.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace rcbatch::sandbox {

namespace {

constexpr std::int64_t hour = 3600;
constexpr std::int64_t day = 24 * hour;

constexpr std::array<std::string_view, 16> words{
    "chai",  "masala", "lotus", "monsoon", "tiger",  "mango", "indigo", "saffron",
    "delta", "orbit",  "cedar", "harbor",  "summit", "pixel", "vertex", "nimbus"};
constexpr std::array<std::string_view, 6> third_level{".co.in",   ".net.in", ".org.in",
                                                      ".firm.in", ".gen.in", ".ind.in"};
constexpr std::array<std::string_view, 3> nixi_keys{"dotin", "thirdleveldotin", "dotbharat"};
constexpr std::array<std::string_view, 3> email_states{"Pending", "Verified", ""};
constexpr std::array<std::string_view, 3> ekyc_states{"Pending", "Verified",
                                                      "Pending Partner Confirmation"};

struct PlanRow {
    std::string_view suffix;
    int gb;
    std::int64_t monthly_milli;
    std::uint64_t share;  // of 100: how many orders use it
};
constexpr std::array<PlanRow, 4> plan_rows{
    {{"11", 50, 3000, 32}, {"12", 100, 5000, 32}, {"13", 250, 12500, 32}, {"14", 500, 18000, 4}}};
// The plan plan-details lists without a price (a client must cope with "no price"); its
// orders are few, and make_dataset makes sure there is at least one Active one.
constexpr std::string_view unlisted_plan = "1014";

const PlanRow& pick_plan_row(std::uint64_t draw_of_100) {
    for (const auto& row : plan_rows) {
        if (draw_of_100 < row.share) return row;
        draw_of_100 -= row.share;
    }
    return plan_rows.back();
}

std::vector<Plan> make_plans() {
    std::vector<Plan> plans;
    for (std::string_view region : {"us", "asia"}) {
        for (const auto& row : plan_rows) {
            Plan p;
            p.id = std::string(region == "us" ? "10" : "20") + std::string(row.suffix);
            p.product_key = std::string(backup_product_key(region));
            p.name = "Acronis Cloud Backup " + std::to_string(row.gb) + " GB (" +
                     (region == "us" ? std::string("US") : std::string("Asia")) + ")";
            p.storage_gb = row.gb;
            p.monthly_price_milli = row.monthly_milli;
            p.currency = "USD";
            p.price_listed = p.id != unlisted_plan;
            plans.push_back(std::move(p));
        }
    }
    return plans;
}

std::string label(Prng& rng, std::size_t index) {
    return std::string(words[rng.below(words.size())]) + std::to_string(index + 1);
}

std::string domain_name(Prng& rng, std::string_view key, std::size_t index) {
    std::string name = label(rng, index);
    if (key == "dotin") return name + ".in";
    if (key == "thirdleveldotin")
        return name + std::string(third_level[rng.below(third_level.size())]);
    if (key == "dotbharat") return name + ".xn--h2brj9c";
    return name + ".com";
}

class Builder {
  public:
    Builder(std::uint64_t seed, std::int64_t now) : rng_(mix64(seed) ^ 0x5eedULL), now_(now) {}

    std::uint64_t customer() {
        return customer_ids_.empty() ? 0 : customer_ids_[rng_.below(customer_ids_.size())];
    }

    void make_customers(std::size_t n, Dataset& data) {
        std::uint64_t id = 20000000 + rng_.below(100000);
        for (std::size_t i = 0; i < n; ++i) {
            id += 1 + rng_.below(9);
            Customer c{id, rng_.chance(0.25)
                               ? static_cast<std::int64_t>(rng_.below(2500))
                               : static_cast<std::int64_t>(500000 + rng_.below(5000000))};
            data.customers.emplace(id, c);
            customer_ids_.push_back(id);
        }
    }

    Order backup(std::string_view region, std::size_t index, bool expiring) {
        Order o;
        o.kind = OrderKind::backup;
        o.region = std::string(region);
        o.product_key = std::string(backup_product_key(region));
        o.description = label(rng_, index) + "-" + std::string(region) + ".backup";
        const double u = rng_.unit();
        o.status = expiring || u < 0.80 ? "Active"
                   : u < 0.88           ? "InActive"
                   : u < 0.94           ? "Suspended"
                                        : "Deleted";
        if (o.status == "Active")
            o.end_time = expiring || rng_.chance(0.2) ? now_ + rng_.between(hour, 29 * day)
                                                      : now_ + rng_.between(31 * day, 400 * day);
        else if (o.status == "Suspended")
            o.end_time = now_ + rng_.between(-30 * day, 60 * day);
        else
            o.end_time = now_ - rng_.between(day, 200 * day);
        o.creation_time = std::min(o.end_time, now_) - rng_.between(30 * day, 720 * day);
        o.customer_id = customer();
        o.auto_renew = rng_.chance(0.3);
        const auto& row = pick_plan_row(rng_.below(100));  // one draw, as ever
        o.plan_id = std::string(region == "us" ? "10" : "20") + std::string(row.suffix);
        o.storage_gb = row.gb;
        if (rng_.chance(0.7)) o.hosting_order_id = 40000000 + rng_.below(9000000);
        return o;
    }

    Order domain(std::string_view key, std::size_t index, std::string status, std::string email,
                 std::string ekyc) {
        Order o;
        o.kind = OrderKind::domain;
        o.product_key = std::string(key);
        o.description = domain_name(rng_, key, index);
        o.status = std::move(status);
        o.end_time = o.status == "Active" ? now_ + rng_.between(5 * day, 700 * day)
                                          : now_ - rng_.between(day, 300 * day);
        o.creation_time = std::min(o.end_time, now_) - rng_.between(30 * day, 3 * 365 * day);
        o.customer_id = customer();
        o.auto_renew = rng_.chance(0.5);
        o.email_verification = std::move(email);
        o.ekyc_verification = std::move(ekyc);
        return o;
    }

    Order random_domain(std::size_t index) {
        const bool nixi = rng_.chance(0.85);
        std::string_view key = nixi ? nixi_keys[rng_.below(nixi_keys.size())] : "domcno";
        const double u = rng_.unit();
        std::string status = u < 0.85 ? "Active" : u < 0.93 ? "InActive" : "Deleted";
        if (!nixi) return domain(key, index, status, "", "");
        std::string email(email_states[rng_.below(2)]);
        std::string ekyc(ekyc_states[rng_.below(ekyc_states.size())]);
        return domain(key, index, status, email, ekyc);
    }

    Prng& rng() { return rng_; }

  private:
    Prng rng_;
    std::int64_t now_;
    std::vector<std::uint64_t> customer_ids_;
};

constexpr std::size_t non_nixi_domains = 4;

// A domain's name servers, theft protection and privacy (api.md §7), from its id alone: no draw
// of the generator, so the seed's other data stay as they were. Every seventh domain's registry
// does not allow privacy.
void set_domain_settings(Order& o) {
    const std::uint64_t id = o.id;
    const std::string host = id % 2 == 0 ? "dns.sandbox-host.example" : "ns.sandbox-dns.example";
    const std::size_t count = 2 + id % 3;
    for (std::size_t i = 1; i <= count; ++i)
        o.name_servers.push_back("ns" + std::to_string(i) + "." + host);
    o.theft_protection = id % 3 == 0;
    o.privacy_allowed = id % 7 != 0;
    o.privacy = o.privacy_allowed && id % 4 == 0;
}

// Gives the unlisted plan to the reseller's first Active US backup when no Active one of
// the reseller has it (small datasets); no random draw, so nothing else moves.
void ensure_unlisted_plan_used(Dataset& data, const std::string& reseller_id) {
    Order* first = nullptr;
    for (auto& [id, o] : data.orders) {
        if (o.reseller_id != reseller_id || o.region != "us" || o.status != "Active") continue;
        if (o.plan_id == unlisted_plan) return;
        if (first == nullptr) first = &o;
    }
    if (first == nullptr) return;
    first->plan_id = std::string(unlisted_plan);
    first->storage_gb = plan_rows.back().gb;
}

}  // namespace

std::size_t minimum_domains() noexcept {
    return nixi_keys.size() * (2 * ekyc_states.size() + 2) + non_nixi_domains;
}

Dataset make_dataset(std::uint64_t seed, const SeedSizes& sizes, std::int64_t now,
                     const std::string& reseller_id, const std::string& other_reseller_id) {
    Dataset data;
    data.reseller_id = reseller_id;
    data.other_reseller_id = other_reseller_id;
    data.plans = make_plans();

    Builder b(seed, now);
    const std::size_t total_domains = std::max(sizes.domains, minimum_domains());
    b.make_customers(std::max<std::size_t>(20, (2 * sizes.backups_per_region + total_domains) / 8),
                     data);

    std::vector<Order> orders;
    orders.reserve(2 * sizes.backups_per_region + total_domains + 3 * sizes.foreign_per_kind);
    std::size_t index = 0;
    for (std::string_view region : {"us", "asia"})
        for (std::size_t i = 0; i < sizes.backups_per_region; ++i)
            orders.push_back(b.backup(region, index++, i == 0));

    // Every verification state of every NIXI product key, then InActive and Deleted ones.
    for (std::string_view key : nixi_keys) {
        for (std::size_t e = 0; e < 2; ++e)
            for (std::string_view ekyc : ekyc_states)
                orders.push_back(b.domain(key, index++, "Active", std::string(email_states[e]),
                                          std::string(ekyc)));
        orders.push_back(b.domain(key, index++, "InActive", "Pending", "Pending"));
        orders.push_back(b.domain(key, index++, "Deleted", "Pending", "Pending"));
    }
    for (std::size_t i = 0; i < non_nixi_domains; ++i)
        orders.push_back(b.domain("domcno", index++, "Active", "", ""));
    for (std::size_t i = minimum_domains(); i < total_domains; ++i)
        orders.push_back(b.random_domain(index++));
    for (auto& o : orders) o.reseller_id = reseller_id;

    for (std::size_t i = 0; i < sizes.foreign_per_kind; ++i) {
        for (std::string_view region : {"us", "asia"}) {
            Order o = b.backup(region, index++, false);
            o.status = "Active";
            o.reseller_id = other_reseller_id;
            orders.push_back(std::move(o));
        }
        Order d = b.domain("dotin", index++, "Active", "Pending", "Pending");
        d.reseller_id = other_reseller_id;
        orders.push_back(std::move(d));
    }

    // Ids rise with gaps in a shuffled order, so kinds and regions interleave.
    Prng& rng = b.rng();
    for (std::size_t i = orders.size(); i > 1; --i) std::swap(orders[i - 1], orders[rng.below(i)]);
    std::uint64_t id = 60000000 + rng.below(1000000);
    for (auto& o : orders) {
        id += 1 + rng.below(5);
        o.id = id;
        if (o.kind == OrderKind::domain) {
            data.by_domain.emplace(o.description, id);
            set_domain_settings(o);
        }
        data.orders.emplace(id, std::move(o));
    }
    ensure_unlisted_plan_used(data, reseller_id);
    return data;
}

}  // namespace rcbatch::sandbox
