// libFuzzer target: any bytes as a profile file. load_profile_file must return diagnostics,
// never throw or crash, and every diagnostic must be one printable line.
#include "config/profile.hpp"
#include "fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_file(data, size, ".toml");
    const rcbatch::config::ProfileLoad loaded = rcbatch::config::load_profile_file(path);
    if (loaded.config.has_value() != loaded.errors.empty()) std::abort();
    for (const auto& d : loaded.errors) rcbatch::fuzz::check_printable(rcbatch::config::format(d));
    return 0;
}
