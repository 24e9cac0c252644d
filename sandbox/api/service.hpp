#pragma once
// The sandbox without the network: routing, parameters, auth, fault decisions, the API's
// handlers over seeded state, the action log, counters and the /_sandbox/ admin surface.
// Single-threaded: call it from the io_context's thread only.

#include "sandbox/api/faults.hpp"
#include "sandbox/api/params.hpp"
#include "sandbox/api/reply.hpp"
#include "sandbox/data/model.hpp"
#include "sandbox/server/options.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::sandbox {

struct Endpoint;  // api.hpp
struct Context;   // api.hpp

// Per (order, action). For a change, `applied` counts the times it was *accepted* (the
// handler succeeded: applied at once, or pending payment, or held by apply-late), so a
// test can assert "accepted once"; `effective` counts the times it took effect (end time
// moved, Deleted, agent linked), which for a pending or late change happens later (pay,
// apply-delay). For a read both count successful answers.
struct Counter {
    std::uint64_t received = 0;   // requests naming this order and action
    std::uint64_t applied = 0;    // handled with success (for a change: accepted)
    std::uint64_t effective = 0;  // for a change: took effect; for a read: = applied
};

// Orders counters by (order id, action); finds with a string_view action too.
struct CounterLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
        if (a.first != b.first) return a.first < b.first;
        return std::string_view(a.second) < std::string_view(b.second);
    }
};
using CounterMap = std::map<std::pair<std::uint64_t, std::string>, Counter, CounterLess>;

struct Stats {
    std::uint64_t connections = 0;           // TCP connections accepted (any outcome)
    std::uint64_t admitted = 0;              // of them, served (not closed at once)
    std::uint64_t connections_rejected = 0;  // closed at once: over max_connections
    std::uint64_t drops = 0;                 // closed at once: over the fault spec's conn-cap
    std::uint64_t refused_over_total = 0;    // closed at once: past the spec's accept-total
    bool blocked = false;                    // drops reached block-after
    std::uint64_t blocked_requests = 0;      // /api/ requests closed unanswered while blocked
    std::uint64_t active_connections = 0;
    std::uint64_t max_open_connections = 0;  // the most admitted connections open at once
    std::uint64_t requests = 0;              // HTTP requests read, any path
    std::uint64_t api_requests = 0;          // of them, under /api/ and routed
    std::uint64_t bad_requests = 0;          // unparsable HTTP, over-size, bad target
    // Requests outside /_sandbox/ between "read complete" and "reply written" (or the
    // connection closed without one), across connections.
    std::uint64_t requests_in_flight = 0;
    std::uint64_t max_requests_in_flight = 0;
    std::uint64_t tls_handshakes = 0;            // completed
    std::uint64_t tls_sessions_resumed = 0;      // of them, SSL_session_reused
    std::map<std::string, std::uint64_t> peers;  // connections accepted per peer address
};

struct Incoming {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;
    std::string body;
    std::string content_type;
};

// One request after begin(): either a reply to send at once, or an API call whose fault
// the server acts out, calling finish() unless the fault keeps the action from running.
struct Exchange {
    bool api = false;
    Reply reply;  // when !api
    const Endpoint* endpoint = nullptr;
    std::string region;
    Params params;
    std::uint64_t order_id = 0;  // 0: the request names no (valid) order
    FaultDecision fault;         // already narrowed by fault_for_call
    std::string echo;            // with echo-key: the request as error answers repeat it
};

class Service {
  public:
    explicit Service(Options options);

    // Parses and routes a request, counts it as received, decides its fault.
    Exchange begin(const Incoming& in);
    // Checks auth and runs the API handler; counts it as applied on success. Acts out the
    // faults that change the answer's content (apply-late holds the change back,
    // huge-number rewrites sellingamount) and echo-key.
    Reply finish(const Exchange& ex);
    // The reply a fault shows instead of the API's (429, 503, 502, 500 HTML; with echo-key
    // they repeat `echo`).
    Reply fault_reply(FaultKind kind, std::string_view echo = {}) const;
    // The decline fault's answer: an action object that failed ("error") or was cancelled
    // (odd variants), HTTP 200; nothing is applied or recorded.
    Reply declined(const Exchange& ex);

    const Options& options() const { return options_; }
    const Credentials& credentials() const { return creds_; }
    Counter counter(std::uint64_t order_id, std::string_view action) const;
    const CounterMap& counters() const { return counters_; }
    const Order* order(std::uint64_t id) const;
    const Dataset& data() const { return data_; }
    Dataset& data() { return data_; }
    Stats& stats() { return stats_; }
    const Stats& stats() const { return stats_; }
    // The seed data again, counters cleared; connection statistics are kept.
    void reset();

    // options().state_file (state_file.cpp): the orders, customers, plans, actions, invoices
    // and id counters. save_state replaces the file with the whole state (atomically);
    // record_change appends the records a change to `order_id` touched; load_state reads the
    // whole and replays the changes, in place of the seed data (an apply-late change then
    // takes effect after the delay). Request counters are not kept. Throw std::runtime_error
    // naming the file; load_state also when it holds another seed's data.
    void save_state() const;
    void record_change(std::uint64_t order_id) const;
    void load_state();

    // For handlers.
    std::uint64_t next_eaqid() { return ++eaqid_ + 500000000; }
    std::uint64_t next_invoice_id() { return ++invoice_id_; }
    std::uint64_t next_token() { return ++token_; }
    // The server's clock (the machine's plus the clock-offset fault), Unix seconds.
    std::int64_t clock_now() const;
    // The Date header of a reply now; empty with the no-date fault.
    std::string date_header() const;

    // The action log and changes that take effect later (service_actions.cpp).
    // A new action of `o` with a fresh eaqid, added now, archived until accept() says not.
    ActionRecord& record_action(const Order& o, std::string type, std::string typedesc);
    // A new invoice of `o` for `rec`'s change; its id.
    std::uint64_t add_invoice(const Order& o, ActionRecord& rec, std::int64_t amount_milli,
                              std::string currency, bool paid);
    // Ends a handler's accepted change `change` recorded as `rec` (with the status it has
    // once done): waiting for payment (current, o.pending), held by apply-late when
    // ctx.late (current, "InProcess", o.pending, due after apply-delay), or in effect now
    // (archived). Sets ctx.deferred when it waits.
    void accept(Context& ctx, Order& o, ActionRecord& rec, PendingAction change);
    // When the next held change is due; nullopt when none is.
    std::optional<std::chrono::steady_clock::time_point> next_due() const;
    // Lets every held change due at `now` take effect; how many did.
    std::size_t settle_due(std::chrono::steady_clock::time_point now);
    // Pays the order's pending invoice (POST /_sandbox/pay): its renew takes effect and its
    // action is archived; else an unpaid invoice is marked paid. 404/409 replies otherwise.
    Reply pay(std::uint64_t order_id);
    // A renew by `months` made in the reseller panel `age` seconds ago (POST
    // /_sandbox/panel-renew): in effect now, archived in the action log as added then. Not an
    // API call, so no counter counts it.
    Reply panel_renew(std::uint64_t order_id, int months, std::int64_t age);

  private:
    // The error reply for a request that does not reach a handler; status 200: routed.
    Reply route(const Incoming& in, const std::string& path, bool params_ok);
    Reply admin(const Incoming& in, std::string_view path, const Params& params);
    Reply admin_view(std::string_view path, std::optional<std::uint64_t> order_id) const;
    // o.pending takes effect with `status`/`desc`, its action is archived, counted effective.
    void complete(Order& o, std::string status, std::string desc);
    // With a state file: record_change(order_id), or save_state() for nullopt; false (and a
    // line on stderr) when it failed.
    bool persist(std::optional<std::uint64_t> order_id) const;

    struct Held {
        std::chrono::steady_clock::time_point due;
        std::uint64_t order_id = 0;
        std::uint64_t eaqid = 0;
    };

    Options options_;
    Credentials creds_;
    Dataset data_;
    CounterMap counters_;
    Stats stats_;
    std::uint64_t eaqid_ = 0;
    std::uint64_t invoice_id_ = 0;
    std::uint64_t token_ = 0;
    std::vector<Held> held_;  // apply-late changes, by due time
};

}  // namespace rcbatch::sandbox
