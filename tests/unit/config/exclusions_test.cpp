// [targets] exclude-order-ids and exclude-file beside a search: read, checked and merged into
// the search's exclusions (sorted, each once). The bad cases are files in tests/data/bad/.
#include "config/job.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace exclusions_test {

using namespace rcbatch::config;
using rcbatch::test::TempDir;

namespace {
std::filesystem::path write_job(const std::filesystem::path& dir, const std::string& targets) {
    const auto job = dir / "job.toml";
    std::ofstream(job) << "name = \"x\"\naction = \"backup.details\"\nregion = \"us\"\n[targets]\n"
                          "search = { status = [\"Active\"] }\n"
                       << targets;
    return job;
}

std::string errors_of(const JobLoad& loaded) {
    std::string all;
    for (const Diagnostic& d : loaded.errors) all += format(d) + "\n";
    return all;
}
}  // namespace

TEST_SUITE("config: search exclusions") {
    TEST_CASE("ids and a CSV's order-id column merge, sorted, each once; other columns ignored") {
        TempDir tmp{"rcbatch-exclusions"};
        std::ofstream(tmp.path / "keep-away.csv")
            << "customer,order-id,note\nAcme,60000007,VIP\nBeta,60000003,\n";
        const auto loaded = load_job(
            write_job(
                tmp.path,
                "exclude-order-ids = [60000005, 60000003]\nexclude-file = \"keep-away.csv\"\n"),
            rcbatch::jobs::seen_keys_in_memory);
        CAPTURE(errors_of(loaded));
        REQUIRE(loaded.job);
        CHECK(loaded.job->targets.search.excluded ==
              std::vector<std::int64_t>{60000003, 60000005, 60000007});
        CHECK(loaded.job->targets.exclude_file == tmp.path / "keep-away.csv");
    }

    TEST_CASE("an empty list or an empty file excludes nothing and is no error") {
        TempDir tmp{"rcbatch-exclusions"};
        std::ofstream(tmp.path / "none.txt") << "# nothing this month\n";
        const auto loaded =
            load_job(write_job(tmp.path, "exclude-order-ids = []\nexclude-file = \"none.txt\"\n"),
                     rcbatch::jobs::seen_keys_in_memory);
        CAPTURE(errors_of(loaded));
        REQUIRE(loaded.job);
        CHECK(loaded.job->targets.search.excluded.empty());
    }

    TEST_CASE("every bad line of an exclude-file is located in that file") {
        TempDir tmp{"rcbatch-exclusions"};
        std::ofstream(tmp.path / "bad.txt") << "60000001\n0\nshop.in\n";
        const auto loaded = load_job(write_job(tmp.path, "exclude-file = \"bad.txt\"\n"),
                                     rcbatch::jobs::seen_keys_in_memory);
        REQUIRE(!loaded.job);
        const std::string all = errors_of(loaded);
        CAPTURE(all);
        CHECK(all.find((tmp.path / "bad.txt").string() + ":2:1: ") != std::string::npos);
        CHECK(all.find((tmp.path / "bad.txt").string() + ":3:1: 'shop.in' is not an order id") !=
              std::string::npos);
    }
}

}  // namespace exclusions_test
