// libFuzzer target: any bytes as a run's journal.jsonl (a file cut by a crash, damaged, or
// written by someone else). scan_journal and for_each_last_result throw JournalError or
// return; they never crash, and their counts agree.
#include "engine/store/journal_error.hpp"
#include "engine/store/journal_scan.hpp"
#include "fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_file(data, size, ".jsonl");
    try {
        const rcbatch::engine::JournalScan scan = rcbatch::engine::scan_journal(path);
        if (scan.final_orders > scan.targets) std::abort();
        std::uint64_t finals = 0;
        rcbatch::engine::for_each_last_result(
            path, scan, true, [&](const rcbatch::engine::OrderResult&) { ++finals; });
        if (finals != scan.final_orders) std::abort();
    } catch (const rcbatch::engine::JournalError&) {
    }
    return 0;
}
