// `rcbatch sandbox --state FILE` (README "A sandbox that remembers"): the Service's data and
// id counters as one JSON document, the one place that writes and reads it. Conversions are
// Boost.JSON's own, from the structs' Boost.Describe descriptions.
#include "engine/atomic_file.hpp"
#include "sandbox/service.hpp"

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rcbatch::sandbox {

BOOST_DESCRIBE_ENUM(OrderKind, backup, domain)
BOOST_DESCRIBE_STRUCT(PendingAction, (),
                      (eaqid, actiontype, invoice_id, months, hosting_order_id, awaiting_payment,
                       done_status, done_desc))
BOOST_DESCRIBE_STRUCT(ActionRecord, (),
                      (eaqid, order_id, description, actiontype, actiontypedesc, actionstatus,
                       actionstatusdesc, added_time, current, invoice_id))
BOOST_DESCRIBE_STRUCT(Invoice, (), (id, order_id, eaqid, amount_milli, currency, paid))
BOOST_DESCRIBE_STRUCT(Order, (),
                      (id, kind, product_key, region, description, status, creation_time, end_time,
                       customer_id, reseller_id, auto_renew, plan_id, storage_gb, hosting_order_id,
                       agent_installs, hosting_order_ids, email_verification, ekyc_verification,
                       resends, pending, renewals))
BOOST_DESCRIBE_STRUCT(Customer, (), (id, balance_milli))
BOOST_DESCRIBE_STRUCT(Plan, (),
                      (id, product_key, name, storage_gb, monthly_price_milli, currency,
                       price_listed))

namespace {
constexpr int state_version = 1;

// The file's shape: the dataset as lists, and the counters new ids continue from.
struct StateFile {
    int version = state_version;
    std::uint64_t seed = 0;
    std::string reseller_id;
    std::string other_reseller_id;
    std::vector<Order> orders;
    std::vector<Customer> customers;
    std::vector<Plan> plans;
    std::vector<ActionRecord> actions;
    std::vector<Invoice> invoices;
    std::uint64_t last_eaqid = 0;
    std::uint64_t last_invoice_id = 0;
    std::uint64_t last_token = 0;
};
BOOST_DESCRIBE_STRUCT(StateFile, (),
                      (version, seed, reseller_id, other_reseller_id, orders, customers, plans,
                       actions, invoices, last_eaqid, last_invoice_id, last_token))

template <class Map>
auto values_of(const Map& map) {
    std::vector<typename Map::mapped_type> out;
    for (const auto& [key, value] : map) out.push_back(value);
    return out;
}

StateFile read_state_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read the sandbox state " + file.string());
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(text.str(), ec);
    if (!ec)
        if (auto state = boost::json::try_value_to<StateFile>(doc);
            state && state->version == state_version)
            return std::move(*state);
    throw std::runtime_error(file.string() +
                             " is not a sandbox state file this rcbatch writes (version " +
                             std::to_string(state_version) + ")");
}
}  // namespace

void Service::save_state() const {
    StateFile s;
    s.seed = options_.seed;
    s.reseller_id = data_.reseller_id;
    s.other_reseller_id = data_.other_reseller_id;
    s.orders = values_of(data_.orders);
    s.customers = values_of(data_.customers);
    s.plans = data_.plans;
    s.actions = values_of(data_.actions);
    s.invoices = values_of(data_.invoices);
    s.last_eaqid = eaqid_;
    s.last_invoice_id = invoice_id_;
    s.last_token = token_;
    engine::write_file_atomically(options_.state_file,
                                  boost::json::serialize(boost::json::value_from(s)), 0600);
}

void Service::load_state() {
    StateFile s = read_state_file(options_.state_file);
    if (s.reseller_id != creds_.userid)
        throw std::runtime_error(
            options_.state_file.string() + " holds the state of a sandbox made with --seed " +
            std::to_string(s.seed) + ": start it with that seed, or name another state file");
    Dataset d;
    d.reseller_id = std::move(s.reseller_id);
    d.other_reseller_id = std::move(s.other_reseller_id);
    for (Order& o : s.orders) {
        if (o.kind == OrderKind::domain) d.by_domain.emplace(o.description, o.id);
        d.orders.emplace(o.id, std::move(o));
    }
    for (Customer& c : s.customers) d.customers.emplace(c.id, c);
    d.plans = std::move(s.plans);
    for (ActionRecord& a : s.actions) d.actions.emplace(a.eaqid, std::move(a));
    for (Invoice& i : s.invoices) d.invoices.emplace(i.id, std::move(i));
    data_ = std::move(d);
    eaqid_ = s.last_eaqid;
    invoice_id_ = s.last_invoice_id;
    token_ = s.last_token;
    // A change the apply-late fault held when the sandbox stopped takes effect after the delay.
    held_.clear();
    const auto due = std::chrono::steady_clock::now() + options_.faults.apply_delay;
    for (const auto& [id, o] : data_.orders)
        if (o.pending && !o.pending->awaiting_payment) held_.push_back({due, id, o.pending->eaqid});
}

}  // namespace rcbatch::sandbox
