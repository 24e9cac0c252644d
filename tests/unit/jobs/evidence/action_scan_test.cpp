// The account scan's pages (the repeat guard every actor shares): the newest actions first, no
// further back than the window, whatever order the lists turn out to be in, and a bounded
// number of pages.
#include "jobs/evidence/action_scan.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace action_scan_test {

using rcbatch::jobs::ActionLogPage;
using rcbatch::jobs::ListOrder;
using rcbatch::jobs::ListScan;
using rcbatch::jobs::LoggedAction;

namespace {
// A list of `n` actions, eaqid 1..n, action i added at time 1000 + 10 * i; pages of `size`.
struct FakeList {
    explicit FakeList(int actions, bool newest_first = false)
        : n(actions), descending(newest_first) {}
    int n;
    int size = 10;
    bool descending;
    std::vector<int> asked;

    ActionLogPage page(int no) {
        asked.push_back(no);
        ActionLogPage p;
        p.total = static_cast<std::uint64_t>(n);
        for (int k = (no - 1) * size; k < std::min(n, no * size); ++k) {
            const int id = descending ? n - k : k + 1;
            p.entries.push_back(
                {std::to_string(id), "100", "Renew", "Success", 1000 + 10 * id, false, ""});
        }
        return p;
    }
};

// Runs `scan` against `list` to its end; the eaqids it collected, sorted.
std::vector<int> run(ListScan& scan, FakeList& list) {
    for (int guard = 0; guard < 100 && scan.next_page() != 0; ++guard) {
        const int no = scan.next_page();
        scan.read(no, list.page(no));
    }
    std::vector<int> ids;
    for (const LoggedAction& a : scan.entries()) ids.push_back(std::stoi(a.eaqid));
    std::sort(ids.begin(), ids.end());
    return ids;
}
}  // namespace

TEST_SUITE("account scan pages") {
    TEST_CASE("ascending (the sandbox's order): page 1 shows it, then the last pages back") {
        FakeList list(95);
        ListScan scan(ListOrder::detect, 1000 + 10 * 71, 10, 40);  // needs 71..95
        const auto ids = run(scan, list);
        CHECK(list.asked == std::vector<int>{1, 10, 9, 8, 7});  // 7 reaches back past 71
        CHECK(scan.order() == ListOrder::ascending);
        CHECK_FALSE(scan.whole());
        CHECK(std::count_if(ids.begin(), ids.end(), [](int id) { return id >= 71; }) == 25);
    }

    TEST_CASE("a known ascending list of a known size starts at its last page") {
        FakeList list(95);
        ListScan scan(ListOrder::ascending, 1000 + 10 * 93, 10, 40, 95);
        run(scan, list);
        CHECK(list.asked == std::vector<int>{10});
    }

    TEST_CASE("a list that grew since the last look: the new last page is read too") {
        FakeList list(105);
        ListScan scan(ListOrder::ascending, 1000 + 10 * 93, 10, 40, 95);
        const auto ids = run(scan, list);
        CHECK(list.asked == std::vector<int>{10, 11});
        CHECK(std::find(ids.begin(), ids.end(), 105) != ids.end());
    }

    TEST_CASE("descending: from page 1 forward until a page reaches back past the window") {
        FakeList list(95, true);
        ListScan scan(ListOrder::detect, 1000 + 10 * 71, 10, 40);
        const auto ids = run(scan, list);
        CHECK(scan.order() == ListOrder::descending);
        CHECK(list.asked == std::vector<int>{1, 2, 3});
        CHECK(std::count_if(ids.begin(), ids.end(), [](int id) { return id >= 71; }) == 25);
    }

    TEST_CASE("in no order: every page") {
        FakeList list(35);
        ListScan scan(ListOrder::unsorted, 5000, 10, 40);
        run(scan, list);
        CHECK(list.asked == std::vector<int>{1, 2, 3, 4});
        CHECK(scan.whole());
    }

    TEST_CASE("one page holds the whole list; an empty list is whole") {
        FakeList small(7);
        ListScan one(ListOrder::detect, 0, 10, 40);
        CHECK(run(one, small).size() == 7);
        CHECK(one.whole());
        FakeList empty(0);
        ListScan none(ListOrder::detect, 0, 10, 40);
        CHECK(run(none, empty).empty());
        CHECK(none.whole());
        CHECK(empty.asked == std::vector<int>{1});
    }

    TEST_CASE("more pages within the window than allowed: the look fails, saying why") {
        FakeList list(500);
        ListScan scan(ListOrder::detect, 0, 10, 5);
        run(scan, list);
        CHECK(scan.failed());
        CHECK(scan.error().starts_with("more than 5 pages of 10 actions"));
        CHECK(list.asked.size() == 5);
    }

    TEST_CASE("a reply that is not a search reply fails the look") {
        ListScan scan(ListOrder::detect, 0, 10, 5);
        ActionLogPage bad;
        bad.error = "the action log's reply is not a search reply (no recsindb)";
        scan.read(1, bad);
        CHECK(scan.failed());
        CHECK(scan.next_page() == 0);
    }
}

}  // namespace action_scan_test
