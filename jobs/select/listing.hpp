#pragma once
// Actions that take no targets and answer with many records: the searches (paged until
// every entry the API counts is in hand) and plan details (one record per Acronis plan).

#include "engine/batch/call.hpp"
#include "engine/batch/order_result.hpp"
#include "jobs/order/order_runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace rcbatch::jobs {

struct ListingResult {
    std::uint64_t expected = 0;  // what the API said there is (recsindb); plans: as received
    std::uint64_t received = 0;  // records emitted for entries
    bool failed = false;         // a call failed; its record says why
    // A short note when `expected` and `received` disagree, or empty.
    std::string mismatch() const;
};

using RecordSink = std::function<void(engine::OrderResult)>;

// Entries per search page: the API's most.
inline constexpr int search_page_size = 500;

// Runs a listing action over `ctx` (one connection), emitting one record per entry with
// seq counting from 0. A failing call ends the listing with one record for it.
boost::asio::awaitable<ListingResult> run_listing(std::shared_ptr<const ActionSetup> setup,
                                                  engine::CallContext& ctx, RecordSink emit);

// The entries of one search page reply ("1".."n"), in order, and its recsindb.
struct SearchPage {
    std::uint64_t total = 0;
    std::vector<const boost::json::object*> entries;
};
SearchPage read_search_page(const boost::json::value& reply);

}  // namespace rcbatch::jobs
