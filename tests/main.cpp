// The test programs' main: every test process (and every rcbatch it starts) gets a state
// directory of its own, so no test reads or locks another's ledger, the user's or the machine's.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

int main(int argc, char** argv) {
    const std::filesystem::path state = std::filesystem::temp_directory_path() /
                                        ("rcbatch-test-state-" + std::to_string(::getpid()));
    ::setenv("RCBATCH_STATE_DIR", state.c_str(), 1);
    // Nor the machine's shared state directory, should this machine have one.
    ::setenv("RCBATCH_SHARED_STATE_DIR", (state / "no-shared-state").c_str(), 1);
    doctest::Context context(argc, argv);
    const int result = context.run();
    std::error_code ignored;
    std::filesystem::remove_all(state, ignored);
    return result;
}
