#pragma once
// One look at one of the account's action lists (search-current or search-archived, no
// order-id: every order's actions), 500 a page, reading only as far back as the look needs:
// the pure page logic of account_actions.cpp. The lists' order across pages is not documented
// [guess]: the first page read shows it (eaqid ascending or descending), or the profile says
// it; a list in no order is read whole. The newest entries are read first and the look stops at
// the first page that reaches back past `cutoff`.

#include "jobs/evidence/action_log.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rcbatch::jobs {

class ListScan {
  public:
    // `cutoff`: entries added before it (server clock) are not needed. `known_total`: the
    // list's size at the last look, so an ascending list starts at its last page.
    ListScan(ListOrder order, std::int64_t cutoff, int page_size, int max_pages,
             std::uint64_t known_total = 0);

    // The page to read next (from 1); 0 when the look is done or failed.
    int next_page() const;
    // Feeds the page next_page() asked for.
    void read(int page_no, ActionLogPage page);

    bool failed() const noexcept { return !error_.empty(); }
    const std::string& error() const noexcept { return error_; }
    // Every page of the list was read.
    bool whole() const;
    ListOrder order() const noexcept { return order_; }
    std::uint64_t total() const noexcept { return total_.value_or(0); }
    int pages_read() const noexcept { return static_cast<int>(read_.size()); }
    std::vector<LoggedAction>& entries() noexcept { return entries_; }

  private:
    int last_page() const;
    void detect(const ActionLogPage& page);

    ListOrder order_;
    std::int64_t cutoff_;
    int page_size_;
    int max_pages_;
    std::uint64_t known_total_;
    std::optional<std::uint64_t> total_;
    std::set<int> read_;
    int floor_ = 0;    // ascending: pages at or below it are older than the cutoff
    int ceiling_ = 0;  // descending: pages at or above it are; 0: none found yet
    std::string error_;
    std::vector<LoggedAction> entries_;
};

}  // namespace rcbatch::jobs
