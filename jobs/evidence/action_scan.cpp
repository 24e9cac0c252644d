#include "jobs/evidence/action_scan.hpp"

#include "jobs/api/text_fields.hpp"

#include <algorithm>

namespace rcbatch::jobs {

namespace {
std::optional<std::int64_t> id_of(const LoggedAction& a) { return parse_whole(a.eaqid); }
}  // namespace

ListScan::ListScan(ListOrder order, std::int64_t cutoff, int page_size, int max_pages,
                   std::uint64_t known_total)
    : order_(order),
      cutoff_(cutoff),
      page_size_(std::max(1, page_size)),
      max_pages_(std::max(1, max_pages)),
      known_total_(known_total) {}

int ListScan::last_page() const {
    const std::uint64_t total = total_.value_or(known_total_);
    if (total == 0) return 1;
    const std::uint64_t size = static_cast<std::uint64_t>(page_size_);
    return static_cast<int>(std::min<std::uint64_t>((total + size - 1) / size, 1'000'000));
}

int ListScan::next_page() const {
    if (failed()) return 0;
    const int last = last_page();
    if (read_.empty()) return order_ == ListOrder::ascending ? last : 1;
    if (order_ == ListOrder::ascending) {
        for (int p = last; p > floor_; --p)
            if (!read_.contains(p)) return p;
        return 0;
    }
    const int end =
        order_ == ListOrder::descending && ceiling_ > 0 ? std::min(last, ceiling_ - 1) : last;
    for (int p = 1; p <= end; ++p)
        if (!read_.contains(p)) return p;
    return 0;
}

void ListScan::detect(const ActionLogPage& page) {
    std::vector<std::int64_t> ids;
    for (const LoggedAction& a : page.entries)
        if (auto id = id_of(a)) ids.push_back(*id);
    const bool rising = ids.size() >= 2 && std::is_sorted(ids.begin(), ids.end()) &&
                        std::adjacent_find(ids.begin(), ids.end()) == ids.end();
    const bool falling = ids.size() >= 2 && std::is_sorted(ids.rbegin(), ids.rend()) &&
                         std::adjacent_find(ids.begin(), ids.end()) == ids.end();
    order_ = rising ? ListOrder::ascending : falling ? ListOrder::descending : ListOrder::unsorted;
}

void ListScan::read(int page_no, ActionLogPage page) {
    if (!page.error.empty()) {
        error_ = page.error;
        return;
    }
    read_.insert(page_no);
    total_ = page.total;
    if (order_ == ListOrder::detect) detect(page);
    const bool reaches_back =
        std::any_of(page.entries.begin(), page.entries.end(),
                    [&](const LoggedAction& a) { return a.added != 0 && a.added < cutoff_; });
    if (reaches_back && order_ == ListOrder::ascending) floor_ = std::max(floor_, page_no);
    if (reaches_back && order_ == ListOrder::descending)
        ceiling_ = ceiling_ == 0 ? page_no + 1 : std::min(ceiling_, page_no + 1);
    for (LoggedAction& a : page.entries) entries_.push_back(std::move(a));
    if (next_page() != 0 && pages_read() >= max_pages_)
        error_ = "more than " + std::to_string(max_pages_) + " pages of " +
                 std::to_string(page_size_) +
                 " actions within the repeat guard's window; rcbatch reads no more";
}

bool ListScan::whole() const {
    for (int p = 1; p <= last_page(); ++p)
        if (!read_.contains(p)) return false;
    return !failed();
}

}  // namespace rcbatch::jobs
