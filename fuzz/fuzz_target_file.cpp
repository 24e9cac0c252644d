// libFuzzer target: any bytes as a [targets] file. The reader yields lines or throws
// std::runtime_error; an accepted target is an order id or a plausible domain name, and what
// a person is shown of it (printable) holds no control or bidi character.
#include "engine/text/display_text.hpp"
#include "fuzz/fuzz_input_file.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = rcbatch::fuzz::input_file(data, size, ".txt");
    try {
        rcbatch::jobs::TargetFileReader reader(path.string());
        int last = 0;
        while (auto line = reader.next()) {
            if (line->line <= last) std::abort();
            last = line->line;
            if (line->error.empty() && !line->order_id &&
                !rcbatch::jobs::plausible_domain_name(line->given))
                std::abort();
            rcbatch::fuzz::check_printable(rcbatch::engine::printable(line->given));
            rcbatch::fuzz::check_printable(rcbatch::engine::printable(line->error));
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
