// libFuzzer target: any bytes as a job file. load_job must return diagnostics, never throw,
// crash or hang, and every diagnostic must be one printable line.
#include "config/job.hpp"
#include "fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_file(data, size, ".toml");
    const rcbatch::config::JobLoad loaded =
        rcbatch::config::load_job(path, rcbatch::jobs::seen_keys_in_memory);
    if (loaded.job.has_value() != loaded.errors.empty()) std::abort();
    for (const auto& d : loaded.errors) rcbatch::fuzz::check_printable(rcbatch::config::format(d));
    return 0;
}
