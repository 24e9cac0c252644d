#include "engine/failure.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/store/journal_error.hpp"
#include "engine/store/private_file.hpp"

#include <doctest/doctest.h>

#include <cerrno>

namespace failure_test {

using namespace rcbatch::engine;

TEST_CASE("failure: each failure ends in its documented exit code, from one mapping") {
    CHECK(exit_code_of({}) == ExitCode::ok);
    CHECK(exit_code_of(Failure::bad_input) == ExitCode::bad_input);
    CHECK(exit_code_of(Failure::locked) == ExitCode::locked);
    CHECK(exit_code_of(Failure::selection_incomplete) == ExitCode::orders_failed);
    for (Failure f : {Failure::stopped, Failure::files, Failure::journal, Failure::state})
        CHECK(exit_code_of(f) == ExitCode::aborted);
    // Another category (an errno that escaped): resumable, never taken for success.
    CHECK(exit_code_of(std::make_error_code(std::errc::no_space_on_device)) == ExitCode::aborted);
    CHECK(exit_code_of(std::error_code(99, failure_category())) == ExitCode::aborted);
}

TEST_CASE("failure: the category names itself and says each failure in words") {
    const std::error_code code = Failure::journal;
    CHECK(std::string(code.category().name()) == "rcbatch");
    CHECK(code.message() == "the journal cannot be written or read");
    CHECK(std::error_code(99, failure_category()).message() == "unknown failure 99");
}

TEST_CASE("failure: the engine's exceptions carry their failure and keep their one line") {
    const JournalError journal("journal.jsonl: line 3 is longer than the limit");
    CHECK(journal.code() == Failure::journal);
    CHECK(std::string(journal.what()) == "journal.jsonl: line 3 is longer than the limit");
    CHECK(FileError("x").code() == Failure::files);
    const ReportError report("cannot write results.csv");
    const Error& as_error = report;
    CHECK(as_error.code() == Failure::files);
}

}  // namespace failure_test
