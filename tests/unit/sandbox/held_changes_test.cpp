// Service without the network: changes held by apply-late take effect when settle_due is
// given a time past their delay (no waiting), pending renews on pay, and the counters.
#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"

#include <doctest/doctest.h>

#include <chrono>

namespace held_changes_test {

using namespace rcbatch::sandbox;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

Options options_with(const std::string& spec) {
    Options o;
    o.seed = 11;
    o.now = 1767225600;
    o.sizes.backups_per_region = 30;
    o.sizes.domains = 0;
    o.faults = parse_fault_spec(spec);
    return o;
}

std::uint64_t active_us(const Service& svc) {
    for (const auto& [id, o] : svc.data().orders)
        if (o.reseller_id == svc.credentials().userid && o.region == "us" && o.status == "Active")
            return id;
    return 0;
}

Reply call(Service& svc, const std::string& path, const std::string& query) {
    const auto& c = svc.credentials();
    Incoming in{http::verb::post,
                path + "?auth-userid=" + c.userid + "&api-key=" + c.api_key + "&" + query, "", ""};
    Exchange ex = svc.begin(in);
    REQUIRE(ex.api);
    return svc.finish(ex);
}

std::string renew_of(std::uint64_t id, const char* option = "NoInvoice") {
    return "backup-order-id=" + std::to_string(id) +
           "&months=1&auto-renew=false&invoice-option=" + option;
}

}  // namespace

TEST_SUITE("sandbox held changes") {
    TEST_CASE("apply-late holds the renew until settle_due passes its due time") {
        Service svc(options_with("apply-late=1,apply-delay=30s"));
        const auto id = active_us(svc);
        const auto before = svc.order(id)->end_time;
        CHECK(!svc.next_due());
        Reply r = call(svc, "/api/backup/us/renew.json", renew_of(id));
        CHECK(r.status == http::status::ok);
        CHECK(svc.order(id)->end_time == before);
        REQUIRE(svc.order(id)->pending);
        CHECK(!svc.order(id)->pending->awaiting_payment);
        const auto& log = svc.data().actions;
        REQUIRE(log.size() == 1);
        CHECK(log.begin()->second.current);
        CHECK(log.begin()->second.actionstatus == "InProcess");
        CHECK(svc.counter(id, "backup.renew").applied == 1);
        CHECK(svc.counter(id, "backup.renew").effective == 0);
        REQUIRE(svc.next_due());
        const auto due = *svc.next_due();
        CHECK(svc.settle_due(due - 1ms) == 0);
        CHECK(svc.settle_due(due) == 1);
        CHECK(svc.order(id)->end_time == add_months(before, 1));
        CHECK(!svc.order(id)->pending);
        CHECK(!log.begin()->second.current);
        CHECK(log.begin()->second.actionstatus == "Success");
        CHECK(svc.counter(id, "backup.renew").effective == 1);
        CHECK(!svc.next_due());
    }

    TEST_CASE("a reset drops held changes") {
        Service svc(options_with("apply-late=1,apply-delay=30s"));
        const auto id = active_us(svc);
        call(svc, "/api/backup/us/delete.json", "backup-order-id=" + std::to_string(id));
        REQUIRE(svc.next_due());
        svc.reset();
        CHECK(!svc.next_due());
        CHECK(svc.data().actions.empty());
        CHECK(svc.order(id)->status == "Active");
    }

    TEST_CASE("a refused change is not held and records nothing") {
        Service svc(options_with("apply-late=1"));
        Reply r = call(svc, "/api/backup/us/renew.json", renew_of(1));
        CHECK(r.status == http::status::internal_server_error);
        CHECK(!svc.next_due());
        CHECK(svc.data().actions.empty());
    }

    TEST_CASE("pay applies a pending renew once; counters say accepted once, effective once") {
        Service svc(options_with(""));
        const auto id = active_us(svc);
        const auto before = svc.order(id)->end_time;
        call(svc, "/api/backup/us/renew.json", renew_of(id, "OnlyAdd"));
        CHECK(svc.counter(id, "backup.renew").effective == 0);
        CHECK(svc.pay(id).status == http::status::ok);
        CHECK(svc.order(id)->end_time == add_months(before, 1));
        CHECK(svc.pay(id).status == http::status::conflict);
        CHECK(svc.pay(1).status == http::status::not_found);
        CHECK(svc.counter(id, "backup.renew").applied == 1);
        CHECK(svc.counter(id, "backup.renew").effective == 1);
        CHECK(svc.data().invoices.begin()->second.paid);
    }
}

}  // namespace held_changes_test
