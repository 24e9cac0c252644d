#include "cli/options.hpp"

#include "engine/failure.hpp"
#include "engine/secret/redact.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/json_line.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <tuple>

namespace rcbatch::cli {

namespace {
bool json_errors = false;

constexpr std::size_t name_width = 24;  // "  --report-dir DIR" and the like, then the text
constexpr std::size_t line_width = 96;

// What an option's value is called in the help, when its description does not say.
std::string value_name(const po::option_description& option) {
    static const std::map<std::string, std::string, std::less<>> names{{"profile", "NAME"},
                                                                       {"config", "FILE"},
                                                                       {"concurrency", "N"},
                                                                       {"rate", "R"},
                                                                       {"report-dir", "DIR"},
                                                                       {"log-format", "text|json"},
                                                                       {"csv", "safe|raw"},
                                                                       {"plan", "PLAN_DIR"},
                                                                       {"resume", "RUN_DIR"},
                                                                       {"port", "P"},
                                                                       {"seed", "S"},
                                                                       {"orders", "N"},
                                                                       {"domains", "N"},
                                                                       {"latency", "MS"},
                                                                       {"faults", "SPEC"},
                                                                       {"ca-out", "FILE"},
                                                                       {"keepalive-requests", "N"},
                                                                       {"max-connections", "N"}};
    const std::string given = option.semantic()->name();
    if (!given.empty() && given != "arg") return given;
    auto it = names.find(option.long_name());
    return it == names.end() ? "VALUE" : it->second;
}

bool is_positional(const po::option_description& option,
                   const po::positional_options_description* positional) {
    if (!positional || positional->max_total_count() == 0) return false;
    return positional->name_for_position(0) == option.long_name();
}

// `text` wrapped to the help's width, every line after the first indented to the text column.
std::string wrapped(const std::string& text, std::size_t first_column,
                    std::size_t indent = name_width) {
    std::string out, line;
    std::size_t column = first_column;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && column + line.size() + 1 + word.size() > line_width) {
            out += line + "\n" + std::string(indent, ' ');
            line.clear();
            column = indent;
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    return out + line;
}
// The caption the options were made with ("rcbatch run: run a job"): Boost prints it as the
// first line, "CAPTION:", and has no accessor for it.
std::string caption_of(const po::options_description& options) {
    std::ostringstream printed;
    printed << options;
    std::string first = printed.str().substr(0, printed.str().find('\n'));
    if (!first.empty() && first.back() == ':') first.pop_back();
    return first;
}
}  // namespace

std::string options_help(const po::options_description& options,
                         const po::positional_options_description* positional) {
    std::string out;
    for (const auto& option : options.options()) {
        if (is_positional(*option, positional)) continue;
        std::string name =
            option->long_name() == "help" ? "-h, --help" : "--" + option->long_name();
        if (option->semantic()->max_tokens() > 0) name += " " + value_name(*option);
        std::string line = "  " + name;
        if (line.size() + 2 > name_width)
            line += "\n" + std::string(name_width, ' ');
        else
            line.resize(name_width, ' ');
        out += line + wrapped(option->description(), name_width) + "\n";
    }
    return out;
}

std::optional<int> parse_arguments(const std::string& command, const std::string& usage,
                                   const std::vector<std::string>& args,
                                   po::options_description& options,
                                   const po::positional_options_description& positional,
                                   po::variables_map& out) {
    options.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), out);
        if (out.count("help")) {
            std::cout << "usage: " << usage << "\n\n"
                      << wrapped(caption_of(options), 0, 0) << "\n\noptions:\n"
                      << options_help(options, &positional);
            return exit_code(engine::ExitCode::ok);
        }
        po::notify(out);
    } catch (const po::error& e) {
        print_error(command, std::string(e.what()) + " (see rcbatch " + command + " --help)");
        return exit_code(engine::ExitCode::bad_input);
    }
    return std::nullopt;
}

void set_json_errors(bool on) { json_errors = on; }

int exit_code_for(const std::exception& e, engine::ExitCode otherwise) {
    const auto* error = dynamic_cast<const engine::Error*>(&e);
    return exit_code(error ? engine::exit_code_of(error->code()) : otherwise);
}

void print_error(const std::string& command, const std::string& message) {
    // A job's value that looks like a key (`profile = "<the key>"`) is masked as validate's
    // diagnostics mask it.
    const std::string text =
        engine::mask_key_like(engine::redact("rcbatch " + command + ": " + message));
    if (json_errors)
        std::cerr << engine::json_line(boost::json::object{
                         {"event", "log"}, {"level", "error"}, {"message", text}})
                  << '\n';
    else
        std::cerr << engine::printable(text) << '\n';
}

void print_diagnostics(config::Diagnostics errors) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    for (const auto& d : errors) {
        if (json_errors)
            std::cerr << engine::json_line(
                             boost::json::object{{"event", "diagnostic"},
                                                 {"level", "error"},
                                                 {"file", d.file},
                                                 {"line", d.line},
                                                 {"column", d.column},
                                                 {"message", engine::mask_key_like(d.message)}})
                      << '\n';
        else
            std::cerr << engine::mask_key_like(config::format(d)) << '\n';
    }
}

}  // namespace rcbatch::cli
