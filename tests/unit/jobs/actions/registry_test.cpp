#include "jobs/actions/registry.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace registry_test {

using namespace rcbatch::jobs;

TEST_SUITE("registry") {
    TEST_CASE("lists the ten actions of the design and the four domain changes, each once") {
        std::set<std::string> names;
        for (const ActionSpec* spec : all_actions()) names.emplace(spec->name);
        CHECK(names == std::set<std::string>{
                           "nixi.resend", "domain.details", "domain.search", "backup.search",
                           "backup.details", "backup.renew", "backup.delete", "backup.auto-login",
                           "backup.install-agent", "plan.details", "domain.renew",
                           "domain.modify-ns", "domain.theft-protection", "domain.privacy"});
    }

    TEST_CASE("finds an action by name and fills in the region") {
        const ActionSpec* renew = find_action("backup.renew");
        REQUIRE(renew != nullptr);
        CHECK(renew->costs_money);
        CHECK(renew->method == HttpMethod::post);
        CHECK(path_for(*renew, "asia") == "/api/backup/asia/renew.json");
        CHECK(needs_region(*renew));
        CHECK_FALSE(needs_region(*find_action("nixi.resend")));
        CHECK(find_action("backup.renw") == nullptr);
    }

    TEST_CASE("reads are GET and changes are POST") {
        for (const ActionSpec* spec : all_actions()) {
            CAPTURE(spec->name);
            CHECK((spec->method == HttpMethod::post) == spec->mutating);
        }
    }
}

}  // namespace registry_test
