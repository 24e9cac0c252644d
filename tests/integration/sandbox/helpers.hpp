#pragma once
// Helpers for the sandbox integration tests of the action log, change replies, the newer
// faults and the connection limits (names apart from the older tests' local helpers).

#include "fixture.hpp"
#include "sandbox/api/faults.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string>

namespace rcbatch::test {

inline SandboxFixture fixture_with(const std::string& spec) {
    auto o = small_options();
    o.faults = sandbox::parse_fault_spec(spec);
    return SandboxFixture(o);
}

// The first own Active backup of `region` (with a hosting link when asked), or 0.
inline std::uint64_t active_in(SandboxFixture& f, std::string_view region, bool linked = false) {
    return f.find_order([&](const sandbox::Order& o) {
        return o.kind == sandbox::OrderKind::backup && o.region == region && o.status == "Active" &&
               !o.pending && (!linked || o.hosting_order_id != 0);
    });
}

inline QueryParams renew_query(std::uint64_t id, int months = 1, std::string option = "NoInvoice") {
    return {{"backup-order-id", std::to_string(id)},
            {"months", std::to_string(months)},
            {"invoice-option", std::move(option)},
            {"auto-renew", "false"}};
}

// The action list `which` ("current" or "archived") filtered to `ids` (none: every order).
inline boost::json::object action_list(SandboxFixture& f, const std::string& which,
                                       std::vector<std::uint64_t> ids = {},
                                       std::string per_page = "10", std::string page = "1") {
    QueryParams q{{"no-of-records", per_page}, {"page-no", page}};
    for (auto id : ids) q.emplace_back("order-id", std::to_string(id));
    return f.get_json("/api/actions/search-" + which + ".json", q);
}

inline boost::asio::awaitable<bool> nap(std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
    co_await t.async_wait(boost::asio::use_awaitable);
    co_return true;
}

// Runs the io_context (the sandbox too) in short naps until `done()` or about 10 s passed;
// whether `done()` became true. No assertion on time: only an upper bound to give up.
template <class Pred>
bool wait_until(SandboxFixture& f, Pred done) {
    for (int i = 0; i < 500; ++i) {
        if (done()) return true;
        run_until_done(f.ioc, nap(std::chrono::milliseconds(20)));
    }
    return done();
}

inline std::string end_of(SandboxFixture& f, std::string_view region, std::uint64_t id) {
    auto d = f.get_json("/api/backup/" + std::string(region) + "/details.json",
                        {{"order-id", std::to_string(id)}});
    return str(d.at("endtime"));
}

}  // namespace rcbatch::test
