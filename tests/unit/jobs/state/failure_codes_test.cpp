#include "engine/failure.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "jobs/state/sqlite.hpp"
#include "jobs/state/state_dir_check.hpp"

#include <doctest/doctest.h>

namespace failure_codes_test {

using rcbatch::engine::exit_code_of;
using rcbatch::engine::ExitCode;

TEST_CASE("failure codes: the jobs layer's exceptions say what failed, and so their exit code") {
    // A ledger that cannot be used stops the run resumably; a state directory of the wrong
    // owner or mode and a folder that is not a run folder are the user's to fix.
    CHECK(exit_code_of(rcbatch::jobs::SqliteError("ledger.db: disk I/O error").code()) ==
          ExitCode::aborted);
    CHECK(exit_code_of(rcbatch::jobs::StateDirError("/var/lib/rcbatch: mode 0777").code()) ==
          ExitCode::bad_input);
    CHECK(exit_code_of(rcbatch::jobs::RunFolderError("x is not a run folder").code()) ==
          ExitCode::bad_input);
}

}  // namespace failure_codes_test
