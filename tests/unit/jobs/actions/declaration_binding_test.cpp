// The declaration that ran is part of what a plan and a journal are bound to: a plan made, or
// a run started, with one version of an action file is refused with another.
#include "jobs/actions/action_file.hpp"
#include "jobs/actions/declared_action.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/plan/plan_binding.hpp"
#include "jobs/run/run_journal.hpp"

#include <doctest/doctest.h>

namespace declaration_binding_test {

using namespace rcbatch::jobs;

namespace {
const char* touch = R"(name = "shop.touch"
summary = "Touch an order"
class = "change"
method = "POST"
path = "/api/shop/touch.json"
id-param = "order-id"
targets = "domain-orders"
reply = "action"
plan = "touch"
done-verb = "touched"
)";

std::unique_ptr<DeclaredAction> declared(const std::string& text) {
    ActionFileRead read = read_action_file(text, "touch.toml", "user", find_action);
    REQUIRE(read.errors.empty());
    return std::make_unique<DeclaredAction>(std::move(*read.declaration));
}
}  // namespace

TEST_SUITE("the declaration that ran") {
    TEST_CASE("a plan made with one declaration differs from one with another") {
        const auto first = declared(touch);
        const auto edited = declared(std::string(touch) + "# edited\n");
        CHECK(first->spec().digest.starts_with("sha256:"));
        CHECK(first->spec().digest != edited->spec().digest);
        const FlowSettings flow;
        const auto planned = plan_binding(first->spec(), "", {}, "order-ids", flow, "1");
        const auto now = plan_binding(edited->spec(), "", {}, "order-ids", flow, "1");
        CHECK(planned.at("fingerprint") != now.at("fingerprint"));
        auto difference = binding_difference(planned, now);
        REQUIRE(difference);
        CHECK(difference->starts_with("declaration: plan "));
        CHECK_FALSE(binding_difference(planned, planned));
    }

    TEST_CASE("a run is resumed only with the declaration it started with") {
        const auto first = declared(touch);
        const auto edited = declared(std::string(touch) + "# edited\n");
        rcbatch::engine::JournalScan scan;
        scan.header = journal_header("job", first->spec(), {}, 1, {}, "uid");
        CHECK_FALSE(resume_refusal(scan, "job", first->spec(), {}));
        auto why = resume_refusal(scan, "job", edited->spec(), {});
        REQUIRE(why);
        CHECK(why->find("declaration of shop.touch changed") != std::string::npos);
        // A journal from before declarations names none: its run goes on.
        scan.header.erase("declaration");
        CHECK_FALSE(resume_refusal(scan, "job", edited->spec(), {}));
    }
}

}  // namespace declaration_binding_test
