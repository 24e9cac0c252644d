// libFuzzer target: any bytes as a run folder's targets.jsonl (what a run, --resume and
// --plan read back). The reader yields targets or throws std::runtime_error naming the line;
// each target's context (intent, planned state, parameters, kept columns) is read without a
// crash, malformed members ignored.
#include "fuzz/fuzz_input_file.hpp"
#include "jobs/order/target_context.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_folder_file(data, size, "targets.jsonl");
    try {
        rcbatch::jobs::TargetsFileSource source(path);
        while (auto target = source.next()) (void)rcbatch::jobs::target_context(*target);
    } catch (const std::runtime_error&) {
    }
    return 0;
}
