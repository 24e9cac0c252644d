#pragma once
// Search (domains/search.json, backup/<region>/search.json) without I/O: parameter
// checking, filters, order-by, paging arithmetic and the reply's numbered entries.

#include "sandbox/api/params.hpp"
#include "sandbox/data/model.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::sandbox {

inline constexpr std::size_t min_records_per_page = 10;
inline constexpr std::size_t max_records_per_page = 500;

enum class SortField { orderid, endtime, creationtime, description };

struct SortKey {
    SortField field = SortField::orderid;
    bool descending = false;
};

struct SearchQuery {
    std::size_t per_page = min_records_per_page;
    std::size_t page_no = 1;
    std::vector<std::uint64_t> order_ids;
    std::vector<std::uint64_t> customer_ids;
    std::vector<std::string> statuses;
    std::vector<std::string> product_keys;                 // domains only
    std::optional<std::string> domain_name;                // domains only; case-insensitive, exact
    std::optional<std::int64_t> expiry_start, expiry_end;  // exclusive bounds
    std::optional<std::int64_t> creation_start, creation_end;  // exclusive bounds
    std::vector<SortKey> order_by;  // then orderid ascending, so paging is stable
};

// Which orders a search sees: the reseller's own orders of one kind (and, for backups,
// one product key).
struct SearchScope {
    std::string reseller_id;
    OrderKind kind = OrderKind::backup;
    std::string product_key;  // empty: any
};

struct SearchParse {
    std::optional<SearchQuery> query;
    std::string error;  // the API's message when `query` is empty
};

// Reads no-of-records (10..500, required) and page-no (from 1, required); the API's
// message when either is missing or out of range.
std::optional<std::string> parse_paging(const Params& params, std::size_t& per_page,
                                        std::size_t& page_no);

// Reads no-of-records (10..500, required), page-no (from 1, required) and the filters.
SearchParse parse_search(const Params& params, bool domains);

bool matches(const SearchQuery& q, const SearchScope& scope, const Order& o);

// [first, last) of the sorted matches on page `page_no`; empty past the end.
struct PageBounds {
    std::size_t first = 0;
    std::size_t last = 0;
};
PageBounds page_bounds(std::size_t total, std::size_t per_page, std::size_t page_no) noexcept;

// The whole reply: {"recsonpage":"n","recsindb":"N","1":{...},...}, values as strings.
boost::json::object run_search(const Dataset& data, const SearchQuery& q, const SearchScope& scope);

// One numbered entry with the dotted keys of api.md (orders.orderid, entity.currentstatus...).
boost::json::object search_entry(const Order& o);

}  // namespace rcbatch::sandbox
