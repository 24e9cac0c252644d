// Reading one order's action list page by page (jobs/evidence/action_log.hpp after_page): stop on
// an empty page or when every entry the list counts is read; past the page limit the order is
// undecidable (read_log makes it `unknown`), never "not in the log".

#include "jobs/evidence/action_log.hpp"

#include <doctest/doctest.h>

namespace action_log_paging_test {

using namespace rcbatch::jobs;

namespace {
ActionLogPage page_of(std::size_t entries, std::uint64_t total) {
    ActionLogPage p;
    p.entries.resize(entries);
    p.total = total;
    return p;
}
}  // namespace

TEST_SUITE("action log paging") {
    TEST_CASE("every entry read: done, whatever the page") {
        CHECK(after_page(1, 3, page_of(3, 3), 20) == ListPaging::done);
        CHECK(after_page(20, 2000, page_of(100, 2000), 20) == ListPaging::done);
        CHECK(after_page(2, 150, page_of(50, 120), 20) == ListPaging::done);  // more than counted
    }

    TEST_CASE("an empty page ends the list, even when the count says more") {
        CHECK(after_page(3, 200, page_of(0, 500), 20) == ListPaging::done);
    }

    TEST_CASE("more entries than read: the next page, up to the limit") {
        CHECK(after_page(1, 100, page_of(100, 250), 20) == ListPaging::next_page);
        CHECK(after_page(19, 1900, page_of(100, 2500), 20) == ListPaging::next_page);
        CHECK(after_page(20, 2000, page_of(100, 2001), 20) == ListPaging::too_many_pages);
        CHECK(after_page(1, 100, page_of(100, 101), 1) == ListPaging::too_many_pages);
    }
}

}  // namespace action_log_paging_test
