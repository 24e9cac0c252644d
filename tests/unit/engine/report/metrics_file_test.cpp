#include "engine/report/metrics_file.hpp"

#include "tests/support/files.hpp"
#include "tests/support/planted_files.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace metrics_file_test {

using namespace rcbatch::engine;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {
MetricsRun run_of(std::string job, int exit_code, double finished) {
    MetricsRun r;
    r.job = std::move(job);
    r.exit_code = exit_code;
    r.finished_unix = finished;
    r.duration_seconds = 12.5;
    r.outcomes = {{"ok", 40}, {"api_error", exit_code == 0 ? 0u : 2u}};
    return r;
}
}  // namespace

TEST_SUITE("metrics file") {
    TEST_CASE("the first run: every family with HELP and TYPE, the job as a label") {
        const std::string text = metrics_text(run_of("renew", 0, 1'700'000'000), "");
        CHECK(text.find("# TYPE rcbatch_last_run_orders gauge\n") != std::string::npos);
        CHECK(text.find("rcbatch_last_run_orders{job=\"renew\",outcome=\"ok\"} 40\n") !=
              std::string::npos);
        CHECK(text.find("rcbatch_last_run_success_timestamp_seconds{job=\"renew\"} 1700000000\n") !=
              std::string::npos);
        CHECK(text.find("rcbatch_last_run_duration_seconds{job=\"renew\"} 12.500\n") !=
              std::string::npos);
        CHECK(text.find("rcbatch_last_run_exit_code{job=\"renew\"} 0\n") != std::string::npos);
    }

    TEST_CASE("orders left in doubt: a gauge of their own, and the last success does not move") {
        std::string text = metrics_text(run_of("renew", 0, 1000), "");
        CHECK(previous_sample(text, "rcbatch_last_run_orders_in_doubt", "renew") == 0);
        MetricsRun doubtful = run_of("renew", 1, 2000);
        doubtful.outcomes["unknown"] = 2;
        text = metrics_text(doubtful, text);
        CHECK(text.find("# TYPE rcbatch_last_run_orders_in_doubt gauge\n") != std::string::npos);
        CHECK(previous_sample(text, "rcbatch_last_run_orders_in_doubt", "renew") == 2);
        CHECK(previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "renew") == 1000);
        // A run that did not start counts no orders: no gauge rather than a false 0.
        MetricsRun locked = run_of("renew", 4, 3000);
        locked.outcomes.clear();
        CHECK(previous_sample(metrics_text(locked, ""), "rcbatch_last_run_orders_in_doubt",
                              "renew") == std::nullopt);
    }

    TEST_CASE("a failed run keeps the last success; other jobs' samples are kept") {
        std::string text = metrics_text(run_of("renew", 0, 1000), "");
        text = metrics_text(run_of("resend", 0, 1500), text);
        text = metrics_text(run_of("renew", 1, 2000), text);
        CHECK(previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "renew") == 1000);
        CHECK(previous_sample(text, "rcbatch_last_run_timestamp_seconds", "renew") == 2000);
        CHECK(previous_sample(text, "rcbatch_last_run_exit_code", "renew") == 1);
        CHECK(previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "resend") ==
              1500);
        CHECK(text.find("rcbatch_last_run_orders{job=\"renew\",outcome=\"api_error\"} 2\n") !=
              std::string::npos);
        std::size_t helps = 0;
        for (std::size_t at = text.find("# HELP rcbatch_last_run_exit_code");
             at != std::string::npos; at = text.find("# HELP rcbatch_last_run_exit_code", at + 1))
            ++helps;
        CHECK(helps == 1);
        // No success ever: no success sample at all.
        CHECK(metrics_text(run_of("new", 3, 10), "").find("success_timestamp_seconds{") ==
              std::string::npos);
    }

    TEST_CASE("a last success the caller knows (rcbatch serve's ledger) wins over the file's") {
        MetricsRun failed = run_of("renew", 1, 2000);
        failed.last_success_unix = 1500;
        const std::string text = metrics_text(failed, metrics_text(run_of("renew", 0, 1000), ""));
        CHECK(previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "renew") == 1500);
        CHECK(previous_sample(text, "rcbatch_last_run_timestamp_seconds", "renew") == 2000);
    }

    TEST_CASE("label values are escaped and read back") {
        CHECK(metrics_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
        const std::string text = metrics_text(run_of("we\"ird", 0, 42), "");
        CHECK(previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "we\"ird") == 42);
        CHECK_FALSE(
            previous_sample(text, "rcbatch_last_run_success_timestamp_seconds", "we").has_value());
    }

    TEST_CASE("written atomically with mode 0644, whatever the umask, no temporary file left") {
        TempDir dir{"rcbatch-metrics"};
        const auto path = dir.path / "rcbatch.prom";
        const mode_t old = ::umask(077);
        write_metrics_file(path, run_of("renew", 0, 1000));
        write_metrics_file(path, run_of("renew", 1, 2000));
        ::umask(old);
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0644);
        CHECK(previous_sample(slurp(path), "rcbatch_last_run_success_timestamp_seconds", "renew") ==
              1000);
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path))
            ++files;
        CHECK(files == 1);
        CHECK_THROWS_AS(write_metrics_file(dir.path / "missing" / "x.prom", run_of("renew", 0, 1)),
                        std::runtime_error);
    }

    TEST_CASE("checked before the run: its folder, and a regular file of one's own or none") {
        TempDir dir{"rcbatch-metrics"};
        const auto at = [&](const char* name) { return dir.path / name; };
        rcbatch::test::write_text(at("mine.prom"), "");
        rcbatch::test::write_text(at("victim"), "keep");
        std::filesystem::create_symlink(at("victim"), at("link.prom"));
        REQUIRE(rcbatch::test::fifo(at("fifo.prom")));
        std::filesystem::create_hard_link(at("victim"), at("hard.prom"));
        CHECK_FALSE(metrics_file_refusal(at("new.prom")));
        CHECK_FALSE(metrics_file_refusal(at("mine.prom")));
        CHECK(metrics_file_refusal(at("missing") / "x.prom") ==
              "its folder " + at("missing").string() + " does not exist");
        CHECK(metrics_file_refusal(at("mine.prom") / "x.prom") ==
              at("mine.prom").string() + " is not a folder");
        CHECK(metrics_file_refusal(at("link.prom"))->starts_with("the file is a symbolic link"));
        CHECK(metrics_file_refusal(at("fifo.prom"))->starts_with("the file is a FIFO"));
        CHECK(metrics_file_refusal(at("hard.prom"))->starts_with("the file has other hard links"));
        if (rcbatch::test::device_node(at("null"), 3))
            CHECK(metrics_file_refusal(at("null"))->starts_with("the file is a character device"));
        else
            MESSAGE("mknod refused (not root): the device-node case is left out");
    }

    TEST_CASE("at the end: a device node stays one, a FIFO never hangs, a huge file is not read") {
        TempDir dir{"rcbatch-metrics"};
        const auto at = [&](const char* name) { return dir.path / name; };
        if (rcbatch::test::device_node(at("zero"), 5)) {  // what /dev/zero is
            CHECK_THROWS_WITH_AS(write_metrics_file(at("zero"), run_of("renew", 0, 1)),
                                 doctest::Contains("is a character device"), FileError);
            CHECK(rcbatch::test::is_char_device(at("zero")));
        } else {
            MESSAGE("mknod refused (not root): the device-node case is left out");
        }
        REQUIRE(rcbatch::test::fifo(at("fifo.prom")));
        CHECK_THROWS_WITH_AS(write_metrics_file(at("fifo.prom"), run_of("renew", 0, 1)),
                             doctest::Contains("is a FIFO"), FileError);
        rcbatch::test::sparse_file(at("huge.prom"), 1ull << 30);  // 1 GiB, no disk used
        CHECK_THROWS_WITH_AS(write_metrics_file(at("huge.prom"), run_of("renew", 0, 1)),
                             doctest::Contains("is larger than the 16 MiB limit"), FileError);
        CHECK(std::filesystem::file_size(at("huge.prom")) == 1ull << 30);
    }
}

}  // namespace metrics_file_test
