#pragma once
// The sandbox without the network: routing, parameters, auth, fault decisions, the API's
// handlers over seeded state, counters and the /_sandbox/ admin surface. Single-threaded:
// call it from the io_context's thread only.

#include "sandbox/faults.hpp"
#include "sandbox/model.hpp"
#include "sandbox/options.hpp"
#include "sandbox/params.hpp"
#include "sandbox/reply.hpp"

#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace rcbatch::sandbox {

struct Endpoint;  // api.hpp

struct Counter {
    std::uint64_t received = 0;  // requests naming this order and action
    std::uint64_t applied = 0;   // handled with success (for a change: the change was made)
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
    std::uint64_t connections = 0;           // TCP connections accepted
    std::uint64_t connections_rejected = 0;  // closed at once: over the cap
    std::uint64_t active_connections = 0;
    std::uint64_t requests = 0;      // HTTP requests read, any path
    std::uint64_t api_requests = 0;  // of them, under /api/ and routed
    std::uint64_t bad_requests = 0;  // unparsable HTTP, over-size, bad target
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
    FaultDecision fault;
};

class Service {
public:
    explicit Service(Options options);

    // Parses and routes a request, counts it as received, decides its fault.
    Exchange begin(const Incoming& in);
    // Checks auth and runs the API handler; counts it as applied on success.
    Reply finish(const Exchange& ex);
    // The reply a fault shows instead of the API's (429, 503, 502, 500 HTML).
    Reply fault_reply(FaultKind kind) const;

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

    // For handlers.
    std::uint64_t next_eaqid() { return ++eaqid_; }
    std::uint64_t next_invoice_id() { return ++invoice_id_; }
    std::uint64_t next_token() { return ++token_; }
    std::int64_t clock_now() const;

private:
    Reply admin(const Incoming& in, std::string_view path, const Params& params);

    Options options_;
    Credentials creds_;
    Dataset data_;
    CounterMap counters_;
    Stats stats_;
    std::uint64_t eaqid_ = 0;
    std::uint64_t invoice_id_ = 0;
    std::uint64_t token_ = 0;
};

}  // namespace rcbatch::sandbox
