// libFuzzer target: any bytes as a plan folder's plan.jsonl (what `rcbatch run --plan` and
// the plan table read back). The table is printed for any content, every line of it
// printable: a record cannot move the cursor or forge a line.
#include "fuzz/fuzz_input_file.hpp"
#include "jobs/plan/plan_table.hpp"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_folder_file(data, size, "plan.jsonl");
    std::ostringstream out;
    rcbatch::jobs::print_plan(path.parent_path(), out);
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) rcbatch::fuzz::check_printable(line);
    return 0;
}
