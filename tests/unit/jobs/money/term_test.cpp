#include "jobs/money/term.hpp"

#include "jobs/actions/registry.hpp"

#include <doctest/doctest.h>

namespace term_test {

using namespace rcbatch::jobs;

TEST_CASE("term: months or years of twelve, from the parameters or a reply's fields") {
    CHECK(term_months({{"months", std::int64_t{3}}}) == 3);
    CHECK(term_months({{"years", std::int64_t{2}}}) == 24);
    CHECK_FALSE(term_months({{"invoice-option", std::string("NoInvoice")}}).has_value());
    CHECK(term_text({{"months", std::int64_t{1}}}) == "1 month");
    CHECK(term_text({{"years", std::int64_t{2}}}) == "2 years");
    CHECK(term_text(std::vector<CallParam>{}).empty());
    CHECK(reply_term_text(boost::json::object{{"years", "1"}}) == "1 year");
    CHECK(reply_term_text(boost::json::object{{"months", 12}}) == "12 months");
    CHECK(reply_term_text(boost::json::object{{"sellingamount", "-1.000"}}).empty());
}

TEST_CASE("term: backup.renew takes one; a read or a free change takes none") {
    CHECK(takes_term(*find_action("backup.renew")));
    CHECK_FALSE(takes_term(*find_action("backup.details")));
    CHECK_FALSE(takes_term(*find_action("backup.delete")));
}

}  // namespace term_test
