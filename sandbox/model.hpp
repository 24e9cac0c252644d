#pragma once
// The sandbox's data: orders (Acronis backups and domains), customers and plans, as plain
// structs. Times are Unix seconds, money is in thousandths of the currency unit.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rcbatch::sandbox {

enum class OrderKind { backup, domain };

// An action that was accepted but waits for an invoice to be paid.
struct PendingAction {
    std::uint64_t eaqid = 0;
    std::string actiontype;  // "RenewBackup"
    std::uint64_t invoice_id = 0;
    int months = 0;
};

struct Order {
    std::uint64_t id = 0;
    OrderKind kind = OrderKind::backup;
    std::string product_key;  // acronisbackupus, acronisbackupasia, dotin, thirdleveldotin, ...
    std::string region;       // "us" or "asia" for backups; empty for domains
    std::string description;  // the domain name, or the backup order's label
    std::string status;       // entity.currentstatus: Active, InActive, Suspended, Deleted, ...
    std::int64_t creation_time = 0;
    std::int64_t end_time = 0;
    std::uint64_t customer_id = 0;
    std::string reseller_id;  // the auth-userid that owns it
    bool auto_renew = false;

    // Backups.
    std::string plan_id;
    int storage_gb = 0;
    std::uint64_t hosting_order_id = 0;
    int agent_installs = 0;

    // Domains. Empty verification statuses: not a NIXI domain.
    std::string email_verification;  // Pending | Verified
    std::string ekyc_verification;   // Pending | Verified | Pending Partner Confirmation
    std::vector<std::int64_t> resends;  // when each verification e-mail was sent

    std::optional<PendingAction> pending;
    int renewals = 0;  // renewals applied (end time moved)
};

struct Customer {
    std::uint64_t id = 0;
    std::int64_t balance_milli = 0;  // prepaid funds; PayInvoice draws from it
};

struct Plan {
    std::string id;
    std::string product_key;
    std::string name;
    int storage_gb = 0;
    std::int64_t monthly_price_milli = 0;
};

struct Dataset {
    std::map<std::uint64_t, Order> orders;               // by id: every order of every reseller
    std::unordered_map<std::string, std::uint64_t> by_domain;  // lower-case name -> id
    std::map<std::uint64_t, Customer> customers;
    std::vector<Plan> plans;
    std::string reseller_id;        // the sandbox's own reseller
    std::string other_reseller_id;  // owns a few orders the sandbox's reseller may not touch
};

inline constexpr std::string_view backup_product_key(std::string_view region) noexcept {
    return region == "asia" ? "acronisbackupasia" : "acronisbackupus";
}

}  // namespace rcbatch::sandbox
