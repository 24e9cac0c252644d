#pragma once
// What `[targets] search = {...}` asks for, as plain data: the job file fills it (config/),
// jobs/select/search_selector turns it into the API's search calls.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct SearchFilter {
    std::vector<std::string> status;
    std::optional<std::chrono::milliseconds> expires_within;  // end time in [now, now + d]
    std::optional<std::chrono::milliseconds> expired_since;   // end time in [now - d, now]
    std::vector<std::int64_t> order_ids;
    std::vector<std::int64_t> customer_ids;
    std::vector<std::string> product_keys;   // domains only; default: the NIXI keys
    std::optional<std::string> domain_name;  // domains only
    // [targets] exclude-order-ids and exclude-file: found orders that are not run (sorted,
    // no repeats). Not sent to the API: the client leaves them out of what the search found.
    std::vector<std::int64_t> excluded;
};

// The filter as one line of text, the same for the same filter ("status=[Active]
// expires-within=30d"); exclusions as their count and a digest ("excluded=3 sha256:...").
std::string search_filter_text(const SearchFilter& filter);

// The .IN, third-level .IN and .BHARAT product keys (api.md §2 marks them a guess).
const std::vector<std::string>& default_nixi_product_keys();

}  // namespace rcbatch::jobs
