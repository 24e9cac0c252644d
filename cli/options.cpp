#include "cli/options.hpp"

#include "engine/redact.hpp"

#include <algorithm>
#include <iostream>
#include <tuple>

namespace rcbatch::cli {

std::optional<int> parse_arguments(const std::string& command, const std::string& usage,
                                   const std::vector<std::string>& args,
                                   po::options_description& options,
                                   const po::positional_options_description& positional,
                                   po::variables_map& out) {
    options.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), out);
        if (out.count("help")) {
            std::cout << "usage: " << usage << "\n\n" << options;
            return exit_code(engine::ExitCode::ok);
        }
        po::notify(out);
    } catch (const po::error& e) {
        std::cerr << "rcbatch " << command << ": " << e.what() << " (see rcbatch " << command
                  << " --help)\n";
        return exit_code(engine::ExitCode::bad_input);
    }
    return std::nullopt;
}

void print_diagnostics(config::Diagnostics errors) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    // A value a user put in the wrong place may be the key itself: never echo one.
    for (const auto& d : errors) std::cerr << engine::mask_key_like(config::format(d)) << '\n';
}

}  // namespace rcbatch::cli
