// `rcbatch sandbox --state FILE` (README "Rehearsal"): the Service's data and id counters kept
// as a log in the manner of ninja's build log, and this the one place that writes and reads it:
// JSON Lines, the whole state first, then the records each change touched. Conversions are
// Boost.JSON's own, from the structs' Boost.Describe descriptions.
#include "engine/store/atomic_file.hpp"
#include "sandbox/api/service.hpp"

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <unistd.h>

namespace rcbatch::sandbox {

BOOST_DESCRIBE_ENUM(OrderKind, backup, domain)
BOOST_DESCRIBE_STRUCT(PendingAction, (),
                      (eaqid, actiontype, invoice_id, months, name_servers, turn_on,
                       hosting_order_id, awaiting_payment, done_status, done_desc))
BOOST_DESCRIBE_STRUCT(ActionRecord, (),
                      (eaqid, order_id, description, actiontype, actiontypedesc, actionstatus,
                       actionstatusdesc, added_time, current, invoice_id))
BOOST_DESCRIBE_STRUCT(Invoice, (), (id, order_id, eaqid, amount_milli, currency, paid))
BOOST_DESCRIBE_STRUCT(Order, (),
                      (id, kind, product_key, region, description, status, creation_time, end_time,
                       customer_id, reseller_id, auto_renew, plan_id, storage_gb, hosting_order_id,
                       agent_installs, hosting_order_ids, email_verification, ekyc_verification,
                       resends, name_servers, theft_protection, privacy, privacy_allowed, pending,
                       renewals))
BOOST_DESCRIBE_STRUCT(Customer, (), (id, balance_milli))
BOOST_DESCRIBE_STRUCT(Plan, (),
                      (id, product_key, name, storage_gb, monthly_price_milli, currency,
                       price_listed))

namespace {
constexpr int state_version = 2;  // 2: the domains' name servers, theft lock and privacy

// Records as they are after a change (each later line), or all of them (in the first line),
// with the counters new ids continue from.
struct StateRecords {
    std::vector<Order> orders;
    std::vector<Customer> customers;
    std::vector<ActionRecord> actions;
    std::vector<Invoice> invoices;
    std::uint64_t last_eaqid = 0;
    std::uint64_t last_invoice_id = 0;
    std::uint64_t last_token = 0;
};
BOOST_DESCRIBE_STRUCT(StateRecords, (),
                      (orders, customers, actions, invoices, last_eaqid, last_invoice_id,
                       last_token))

// The first line: the whole state.
struct StateFile {
    int version = state_version;
    std::uint64_t seed = 0;
    std::string reseller_id;
    std::string other_reseller_id;
    std::vector<Plan> plans;
    StateRecords records;
};
BOOST_DESCRIBE_STRUCT(StateFile, (),
                      (version, seed, reseller_id, other_reseller_id, plans, records))

template <class Map>
auto values_of(const Map& map) {
    std::vector<typename Map::mapped_type> out;
    for (const auto& [key, value] : map) out.push_back(value);
    return out;
}

template <class T>
std::optional<T> parsed(std::string_view line) {
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(line, ec);
    if (ec) return std::nullopt;
    auto value = boost::json::try_value_to<T>(doc);
    if (!value) return std::nullopt;
    return std::move(*value);
}

// The records of `change` in place of the ones with their ids.
void apply(Dataset& d, StateRecords& change) {
    for (Order& o : change.orders) {
        if (o.kind == OrderKind::domain) d.by_domain[o.description] = o.id;
        d.orders[o.id] = std::move(o);
    }
    for (Customer& c : change.customers) d.customers[c.id] = c;
    for (ActionRecord& a : change.actions) d.actions[a.eaqid] = std::move(a);
    for (Invoice& i : change.invoices) d.invoices[i.id] = std::move(i);
}

Dataset dataset_of(StateFile& s) {
    Dataset d;
    d.reseller_id = std::move(s.reseller_id);
    d.other_reseller_id = std::move(s.other_reseller_id);
    d.plans = std::move(s.plans);
    apply(d, s.records);
    return d;
}

[[noreturn]] void not_a_state_file(const std::filesystem::path& file, int line) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) +
                             " is not a sandbox state file this rcbatch writes (version " +
                             std::to_string(state_version) + ")");
}
}  // namespace

void Service::save_state() const {
    StateFile s;
    s.seed = options_.seed;
    s.reseller_id = data_.reseller_id;
    s.other_reseller_id = data_.other_reseller_id;
    s.plans = data_.plans;
    s.records = {values_of(data_.orders),
                 values_of(data_.customers),
                 values_of(data_.actions),
                 values_of(data_.invoices),
                 eaqid_,
                 invoice_id_,
                 token_};
    // A rehearsal must survive its sandbox being killed, not a power cut: no fsync.
    engine::write_file_atomically(options_.state_file,
                                  boost::json::serialize(boost::json::value_from(s)) + "\n", 0600,
                                  engine::Durability::process_crash);
}

void Service::record_change(std::uint64_t order_id) const {
    StateRecords c{{}, {}, {}, {}, eaqid_, invoice_id_, token_};
    if (const Order* o = order(order_id)) {
        c.orders.push_back(*o);
        if (auto it = data_.customers.find(o->customer_id); it != data_.customers.end())
            c.customers.push_back(it->second);
    }
    for (const auto& [eaqid, a] : data_.actions)
        if (a.order_id == order_id) c.actions.push_back(a);
    for (const auto& [id, i] : data_.invoices)
        if (i.order_id == order_id) c.invoices.push_back(i);
    const std::string line = boost::json::serialize(boost::json::value_from(c)) + "\n";
    // One write(2) of a whole line: a process killed after it returns has the line on disk
    // (the page cache outlives the process), one killed before has none of it.
    const int fd =
        ::open(options_.state_file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    const bool ok =
        fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    const int err = errno;
    if (fd >= 0) ::close(fd);
    if (!ok)
        throw std::runtime_error("cannot write the sandbox state " + options_.state_file.string() +
                                 ": " + std::strerror(err));
}

void Service::load_state() {
    std::ifstream in(options_.state_file, std::ios::binary);
    std::string first;
    if (!std::getline(in, first)) not_a_state_file(options_.state_file, 1);
    auto s = parsed<StateFile>(first);
    if (!s || s->version != state_version) not_a_state_file(options_.state_file, 1);
    if (s->reseller_id != creds_.userid)
        throw std::runtime_error(
            options_.state_file.string() + " holds the state of a sandbox made with --seed " +
            std::to_string(s->seed) + ": start it with that seed, or name another state file");
    Dataset d = dataset_of(*s);
    StateRecords last = std::move(s->records);  // apply() took its records; its counters stay
    std::string line;
    for (int n = 2; std::getline(in, line); ++n) {
        auto change = parsed<StateRecords>(line);
        // A last line cut short was never answered (it is written before the answer).
        if (!change && in.peek() == std::char_traits<char>::eof()) break;
        if (!change) not_a_state_file(options_.state_file, n);
        apply(d, *change);
        last = std::move(*change);
    }
    data_ = std::move(d);
    eaqid_ = last.last_eaqid;
    invoice_id_ = last.last_invoice_id;
    token_ = last.last_token;
    // A change the apply-late fault held when the sandbox stopped takes effect after the delay.
    held_.clear();
    const auto due = std::chrono::steady_clock::now() + options_.faults.apply_delay;
    for (const auto& [id, o] : data_.orders)
        if (o.pending && !o.pending->awaiting_payment) held_.push_back({due, id, o.pending->eaqid});
}

}  // namespace rcbatch::sandbox
