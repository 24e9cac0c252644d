#pragma once
// Boost.Program_options glue shared by the subcommands.

#include "config/diagnostics.hpp"
#include "engine/outcome.hpp"

#include <boost/program_options.hpp>

#include <exception>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::cli {

namespace po = boost::program_options;

// Parses `args` for `command`; prints help to stdout and returns 0 on --help, prints a one-line
// error and returns 2 on bad arguments, and returns nullopt when the command should go on.
std::optional<int> parse_arguments(const std::string& command, const std::string& usage,
                                   const std::vector<std::string>& args,
                                   po::options_description& options,
                                   const po::positional_options_description& positional,
                                   po::variables_map& out);

// Prints diagnostics to stderr, one line each, sorted by file position (a JSON object each
// after set_json_errors(true)).
void print_diagnostics(config::Diagnostics errors);

// "rcbatch COMMAND: message" on stderr, redacted, key-like words masked (engine/secret/redact.hpp)
// and made printable; a JSON log event after
// set_json_errors(true) (run --log-format json).
void print_error(const std::string& command, const std::string& message);
void set_json_errors(bool on);

// The options as rcbatch's help lists them: "  --report-dir DIR       text", "-h, --help",
// the positional option left out (the usage line names it).
std::string options_help(const po::options_description& options,
                         const po::positional_options_description* positional = nullptr);

inline int exit_code(engine::ExitCode code) { return static_cast<int>(code); }

// The exit code of an exception that ended a command: an engine::Error's own
// (engine/failure.hpp's exit_code_of), `otherwise` for any other exception.
int exit_code_for(const std::exception& e, engine::ExitCode otherwise);

}  // namespace rcbatch::cli
