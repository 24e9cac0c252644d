#pragma once
// The pages of `rcbatch serve` by path: a request's target picks a page and the values it asks
// the ledger for, never a file. Each request opens the ledger read-only (a WAL reader: a
// running job is never blocked) and reads a run folder only as the ledger recorded it.
//
//   /  /runs            runs, newest first, filtered (runs_page.hpp)
//   /run/ID             one run (run_page.hpp); /run/ID/files/NAME one of its files (run_files.hpp)
//   /order/ID           every change sent to one order (order_page.hpp)
//   /search?q=          an order id, a target (domain name) or a job (search_page.hpp)
//   /metrics            the --metrics-file figures (metrics_page.hpp)
//   /static/rcbatch.css the style sheet

#include "serve/http/page.hpp"

#include <filesystem>

namespace rcbatch::serve {

// How often a running job's page reloads itself (the Refresh header: no script needed).
inline constexpr int running_page_refresh_seconds = 5;

class Site {
  public:
    explicit Site(std::filesystem::path state_dir) : state_dir_(std::move(state_dir)) {}

    // The page for `request`: 200, 400 for a query a page does not take, 404, or 503 when the
    // ledger cannot be read (its reason printed on stderr, redacted, not shown). Never throws.
    PageResponse answer(const PageRequest& request) const;

  private:
    std::filesystem::path state_dir_;
};

}  // namespace rcbatch::serve
