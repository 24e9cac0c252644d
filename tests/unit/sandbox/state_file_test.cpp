// `rcbatch sandbox --state FILE` without the network: a Service with a state file saves every
// accepted change before it answers, and a new Service on the same file starts from it —
// the orders, the action log, the invoices and the next ids — instead of the seed data.
#include "sandbox/api/api.hpp"
#include "sandbox/api/service.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace state_file_test {

using namespace rcbatch::sandbox;
using rcbatch::test::TempDir;
namespace http = boost::beast::http;

namespace {

Options kept_in(const std::filesystem::path& file, std::uint64_t seed = 11) {
    Options o;
    o.seed = seed;
    o.now = 1767225600;
    o.sizes.backups_per_region = 30;
    o.sizes.domains = 0;
    o.state_file = file;
    return o;
}

std::vector<std::uint64_t> active_us(const Service& svc, std::size_t n) {
    std::vector<std::uint64_t> out;
    for (const auto& [id, o] : svc.data().orders)
        if (out.size() < n && o.reseller_id == svc.credentials().userid && o.region == "us" &&
            o.status == "Active" && !o.pending)
            out.push_back(id);
    return out;
}

Reply renew(Service& svc, std::uint64_t id) {
    const auto& c = svc.credentials();
    Incoming in{http::verb::post,
                "/api/backup/us/renew.json?auth-userid=" + c.userid + "&api-key=" + c.api_key +
                    "&backup-order-id=" + std::to_string(id) +
                    "&months=1&auto-renew=false&invoice-option=KeepInvoice",
                "", ""};
    Exchange ex = svc.begin(in);
    REQUIRE(ex.api);
    return svc.finish(ex);
}

}  // namespace

TEST_SUITE("sandbox state file") {
    TEST_CASE("an answered renew is in the file: a new sandbox has its end time, action, invoice") {
        TempDir tmp{"rcbatch-sandbox-state"};
        const auto file = tmp.path / "state.json";
        std::map<std::uint64_t, std::int64_t> ends;
        std::size_t actions = 0, invoices = 0;
        std::vector<std::uint64_t> ids;
        {
            Service first(kept_in(file));
            CHECK(std::filesystem::exists(file));  // written at start, before any change
            ids = active_us(first, 2);
            REQUIRE(ids.size() == 2);
            for (auto id : ids) {
                const auto before = first.order(id)->end_time;
                CHECK(renew(first, id).status == http::status::ok);
                CHECK(first.order(id)->end_time > before);
                ends[id] = first.order(id)->end_time;
            }
            actions = first.data().actions.size();
            invoices = first.data().invoices.size();
            CHECK(actions == 2);
            CHECK(invoices == 2);
            // No orderly shutdown: the Service simply goes, as under kill -9.
        }
        Service second(kept_in(file));
        for (auto id : ids) CHECK(second.order(id)->end_time == ends[id]);
        CHECK(second.data().actions.size() == actions);
        CHECK(second.data().invoices.size() == invoices);
        // New ids continue after the kept ones: no action or invoice number is handed out twice.
        const auto next = active_us(second, 3).back();
        REQUIRE(renew(second, next).status == http::status::ok);
        CHECK(second.data().actions.size() == actions + 1);
        CHECK(second.data().invoices.size() == invoices + 1);
        Service third(kept_in(file));
        CHECK(third.data().actions.size() == actions + 1);
        CHECK(third.order(next)->renewals == 1);
    }

    TEST_CASE("a domain's name servers, theft lock and privacy are kept in the file") {
        TempDir tmp{"rcbatch-sandbox-state"};
        const auto file = tmp.path / "state.json";
        Options options = kept_in(file);
        options.sizes.domains = 40;
        std::uint64_t id = 0;
        {
            Service first(options);
            for (const auto& [oid, o] : first.data().orders)
                if (id == 0 && o.kind == OrderKind::domain && o.status == "Active" &&
                    o.reseller_id == first.credentials().userid)
                    id = oid;
            REQUIRE(id != 0);
            const auto& c = first.credentials();
            Incoming in{http::verb::post,
                        "/api/domains/modify-ns.json?auth-userid=" + c.userid +
                            "&api-key=" + c.api_key + "&order-id=" + std::to_string(id) +
                            "&ns=a.example.net&ns=b.example.net",
                        "", ""};
            Exchange ex = first.begin(in);
            REQUIRE(ex.api);
            CHECK(first.finish(ex).status == http::status::ok);
        }
        Service second(options);
        const Order* kept = second.order(id);
        REQUIRE(kept != nullptr);
        CHECK(kept->name_servers == std::vector<std::string>{"a.example.net", "b.example.net"});
        CHECK(second.data().actions.size() == 1);
    }

    TEST_CASE("a read changes nothing on disk; the seed data is not used when the file exists") {
        TempDir tmp{"rcbatch-sandbox-state"};
        const auto file = tmp.path / "state.json";
        Options small = kept_in(file);
        small.sizes.backups_per_region = 5;
        { Service made(small); }
        const std::string saved = rcbatch::test::slurp(file);
        Service again(kept_in(file));  // asks for 30 a region; the file holds 5
        std::size_t backups = 0;
        for (const auto& [id, o] : again.data().orders)
            if (o.kind == OrderKind::backup && o.reseller_id == again.credentials().userid)
                ++backups;
        CHECK(backups == 2 * 5);
        const auto& c = again.credentials();
        Incoming read{http::verb::get,
                      "/api/backup/us/details.json?auth-userid=" + c.userid + "&api-key=" +
                          c.api_key + "&order-id=" + std::to_string(active_us(again, 1).front()),
                      "", ""};
        Exchange ex = again.begin(read);
        CHECK(again.finish(ex).status == http::status::ok);
        CHECK(rcbatch::test::slurp(file) == saved);
    }

    TEST_CASE("a state file of another seed, or not a state file: refused, naming the file") {
        TempDir tmp{"rcbatch-sandbox-state"};
        const auto file = tmp.path / "state.json";
        { Service made(kept_in(file, 11)); }
        CHECK_THROWS_WITH_AS(Service(kept_in(file, 12)), doctest::Contains("made with --seed 11"),
                             std::runtime_error);
        std::ofstream(file) << "{\"version\": 1, \"orders\": []}";
        CHECK_THROWS_WITH_AS(
            Service(kept_in(file)),
            doctest::Contains((file.string() + ":1 is not a sandbox state file").c_str()),
            std::runtime_error);
    }

    TEST_CASE("each change is one line after the whole; a line cut short at the end is dropped") {
        TempDir tmp{"rcbatch-sandbox-state"};
        const auto file = tmp.path / "state.json";
        std::vector<std::uint64_t> ids;
        {
            Service first(kept_in(file));
            ids = active_us(first, 2);
            for (auto id : ids) REQUIRE(renew(first, id).status == http::status::ok);
        }
        const auto lines = [&] { return rcbatch::test::count_lines(rcbatch::test::slurp(file)); };
        CHECK(lines() == 3);  // the whole state, then one line a renew
        std::ofstream(file, std::ios::app) << "{\"orders\":[{\"id\":";  // killed mid-write
        {
            Service second(kept_in(file));
            CHECK(second.order(ids[0])->renewals == 1);
            CHECK(second.order(ids[1])->renewals == 1);
            CHECK(second.data().actions.size() == 2);
        }
        CHECK(lines() == 1);  // folded into the whole at start

        // A bad line before the last is not a cut: the file is refused, naming the line.
        const std::string whole = rcbatch::test::slurp(file);
        std::ofstream(file) << whole << "not json\n{}\n";
        CHECK_THROWS_WITH_AS(Service(kept_in(file)),
                             doctest::Contains((file.string() + ":2 is not").c_str()),
                             std::runtime_error);
    }
}

}  // namespace state_file_test
