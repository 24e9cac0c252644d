#pragma once
// A run page's table of orders, searchable, sortable and paged on the server (it works with
// JavaScript off and on any number of orders): the records are streamed from the run folder
// and only the rows up to the asked page are kept, so memory is bounded by the page, not the
// run. Rows are report.html's (engine::html_row).

#include "engine/batch/order_result.hpp"
#include "serve/pages/page_query.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::serve {

struct OrdersView {
    std::string show = "all";      // "all", "attention" (failed and unknown) or an outcome
    std::string text;              // kept when the order id, target or message holds it
    std::string sort = "outcome";  // outcome (unknown, failed, ... ok), seq, order, target,
                                   // attempts, latency, finished
    bool descending = false;
    std::size_t page = 0;  // from 0
};

inline constexpr std::size_t orders_per_page = 100;
// The deepest row a page may reach: past it, the page asks for a narrower search.
inline constexpr std::size_t deepest_order_row = 10'000;

// The view from the run page's query: show, q, sort, dir (up/down), page (from 1). nullopt with
// `error` (one line naming the value) for a value the page does not take.
std::optional<OrdersView> orders_view(const PageQuery& query, std::string& error);

// Whether `r` is shown under `view`'s show and text.
bool order_shown(const engine::OrderResult& r, const OrdersView& view);

// Whether `a` comes before `b` under `view`'s sort.
bool order_before(const engine::OrderResult& a, const engine::OrderResult& b,
                  const OrdersView& view);

// The rows of one page of a view, kept as the records pass (at most twice the rows up to the
// page, so memory is bounded by the page, not the run).
class OrdersPage {
  public:
    explicit OrdersPage(OrdersView view, std::size_t per_page = orders_per_page);
    void add(const engine::OrderResult& r);
    // The records shown by the view so far.
    std::uint64_t matched() const noexcept { return matched_; }
    // The page's rows, in order.
    std::vector<engine::OrderResult> rows() &&;

  private:
    bool before(const engine::OrderResult& a, const engine::OrderResult& b) const;
    OrdersView view_;
    std::size_t per_page_, keep_;
    std::uint64_t matched_ = 0;
    std::vector<engine::OrderResult> rows_;
};

// The rows of one page: calls `each_record` with a sink for every record of the run and keeps
// the page's rows, in order. `matched` is set to the number of records shown by the view.
std::vector<engine::OrderResult> page_of_orders(
    const std::function<void(const std::function<void(const engine::OrderResult&)>&)>& each_record,
    const OrdersView& view, std::uint64_t& matched);

// The table's form (show, text), its head with sort links under `base` ("/run/12"), the rows,
// and the pager.
std::string orders_table(const std::vector<engine::OrderResult>& rows, std::uint64_t matched,
                         const OrdersView& view, const std::string& base,
                         const std::function<std::string(const engine::OrderResult&)>& charge);

}  // namespace rcbatch::serve
