// libFuzzer target: any bytes as an action file (jobs/actions/action_file.hpp). read_action_file
// must return a declaration or diagnostics, never throw or crash; every diagnostic is one
// printable line; a declaration it accepts builds, and its plan text renders.
#include "fuzz/fuzz_input_file.hpp"
#include "jobs/actions/action_file.hpp"
#include "jobs/actions/action_rules.hpp"
#include "jobs/actions/declared_action.hpp"
#include "jobs/actions/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const rcbatch::jobs::ActionFileRead read = rcbatch::jobs::read_action_file(
        text, "fuzz.toml", "user",
        [](std::string_view name) { return rcbatch::jobs::find_action(name); });
    if (read.declaration.has_value() != read.errors.empty()) std::abort();
    for (const auto& d : read.errors) rcbatch::fuzz::check_printable(rcbatch::engine::format(d));
    if (read.declaration) {
        const rcbatch::jobs::DeclaredAction action(*read.declaration);
        (void)rcbatch::jobs::declared_plan_text(action.declaration(), {}, std::nullopt);
    }
    return 0;
}
