#pragma once
// The sandbox's data: orders (Acronis backups and domains), customers, plans, the action
// log and the invoices, as plain structs. Times are Unix seconds, money is in thousandths of the
// currency unit.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rcbatch::sandbox {

enum class OrderKind { backup, domain };

// A change that was accepted but has not taken effect yet: a renew waiting for its
// invoice to be paid, or a change the apply-late fault holds back ("InProcess").
struct PendingAction {
    std::uint64_t eaqid = 0;
    std::string actiontype;                 // "Renew", "Delete", "InstallAgent", "RenewDomain", ...
    std::uint64_t invoice_id = 0;           // 0: none
    int months = 0;                         // Renew, RenewDomain (12 a year)
    std::vector<std::string> name_servers;  // ModNS
    bool turn_on = false;  // EnableTheftProtection / ModifyPrivacyProtection: the state asked
    std::uint64_t hosting_order_id = 0;  // InstallAgent
    bool awaiting_payment = false;       // else in process until the apply-late delay passed
    std::string done_status, done_desc;  // the action's status once it took effect
};

// One entry of the action log (api.md §6), of the sandbox reseller's own orders.
struct ActionRecord {
    std::uint64_t eaqid = 0;
    std::uint64_t order_id = 0;
    std::string description;  // the order's
    std::string actiontype;   // "Renew", "Delete", "InstallAgent"
    std::string actiontypedesc;
    std::string actionstatus;  // Success, InvoicePaid, Pending, InProcess
    std::string actionstatusdesc;
    std::int64_t added_time = 0;   // Unix seconds (the wall clock when it was accepted)
    bool current = false;          // waiting: search-current; else search-archived
    std::uint64_t invoice_id = 0;  // 0: none
};

struct Invoice {
    std::uint64_t id = 0;
    std::uint64_t order_id = 0;
    std::uint64_t eaqid = 0;
    std::int64_t amount_milli = 0;  // what the customer owes (>= 0); replies write it negated
    std::string currency;
    bool paid = false;
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
    std::vector<std::uint64_t> hosting_order_ids;  // the hosting order of each install, in order

    // Domains. Empty verification statuses: not a NIXI domain.
    std::string email_verification;     // Pending | Verified
    std::string ekyc_verification;      // Pending | Verified | Pending Partner Confirmation
    std::vector<std::int64_t> resends;  // when each verification e-mail was sent
    // Domains, what api.md §7 changes: name servers (1..13), theft protection (orderstatus
    // "transferlock"), privacy protection and whether the registry allows it.
    std::vector<std::string> name_servers;
    bool theft_protection = false;
    bool privacy = false;
    bool privacy_allowed = true;

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
    std::int64_t monthly_price_milli = 0;  // what a renewal charges per month
    std::string currency = "USD";
    bool price_listed = true;  // false: plan-details omits price_per_month ("no price")
};

struct Dataset {
    std::map<std::uint64_t, Order> orders;  // by id: every order of every reseller
    std::unordered_map<std::string, std::uint64_t> by_domain;  // lower-case name -> id
    std::map<std::uint64_t, Customer> customers;
    std::vector<Plan> plans;
    std::map<std::uint64_t, ActionRecord> actions;  // by eaqid: every accepted change
    std::map<std::uint64_t, Invoice> invoices;      // by id
    std::string reseller_id;                        // the sandbox's own reseller
    std::string other_reseller_id;  // owns a few orders the sandbox's reseller may not touch
};

inline constexpr std::string_view backup_product_key(std::string_view region) noexcept {
    return region == "asia" ? "acronisbackupasia" : "acronisbackupus";
}

}  // namespace rcbatch::sandbox
