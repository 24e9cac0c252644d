#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/run_setup.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"
#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"

#include <iomanip>
#include <iostream>

namespace rcbatch::cli {

namespace {
std::string targets_text(jobs::TargetKind kind) {
    switch (kind) {
        case jobs::TargetKind::backup_order:
            return "backup order ids (order-ids, file, search)";
        case jobs::TargetKind::domain_order:
            return "domain orders (order-ids, domain-names, file, search)";
        case jobs::TargetKind::none:
            return "none (one call, or the search's pages)";
    }
    return "";
}

std::string effects_text(const jobs::ActionSpec& spec) {
    if (spec.costs_money) return "changes orders, COSTS MONEY";
    if (spec.mutating) return "changes state";
    return "read-only";
}

void print_param(const jobs::ParamSpec& p) {
    std::cout << "    " << std::left << std::setw(18) << engine::printable(p.name) << std::setw(18)
              << jobs::to_string(p.type) << std::setw(10) << (p.required ? "required" : "optional");
    const auto number = [](double v) { return std::to_string(static_cast<long long>(v)); };
    if (p.min && p.max)
        std::cout << number(*p.min) << ".." << number(*p.max) << "  ";
    else if (p.min)
        std::cout << "at least " << number(*p.min) << "  ";
    else if (p.max)
        std::cout << "at most " << number(*p.max) << "  ";
    // An action file is the user's, and still printed as untrusted text (README "Text shown
    // to a person"): so are its names, path and allowed values.
    std::cout << engine::printable(p.description);
    if (p.max_items) std::cout << "; at most " << *p.max_items << " items";
    if (!p.default_value.empty()) std::cout << "; default " << p.default_value;
    if (!p.allowed.empty()) {
        std::cout << "; one of: ";
        const char* separator = "";
        for (std::string_view a : p.allowed) {
            std::cout << separator << engine::printable(a);
            separator = ", ";
        }
    }
    std::cout << '\n';
}

void print_action(const jobs::ActionSpec& spec) {
    std::cout << engine::printable(spec.name) << "  " << jobs::to_string(spec.method) << ' '
              << engine::printable(spec.path) << "  [" << effects_text(spec) << "]\n"
              << "  " << engine::printable(spec.summary) << '\n'
              << "  targets: " << targets_text(spec.targets) << '\n';
    // Where its declaration came from, and which one (plans and reports name the digest).
    std::cout << "  from: " << spec.origin;
    if (spec.origin != "built-in") std::cout << ' ' << engine::printable(spec.file);
    std::cout << " (" << spec.digest << ")\n";
    if (jobs::needs_region(spec)) std::cout << "  region: us | asia (required)\n";
    if (spec.params.empty()) {
        std::cout << "  params: none\n";
        return;
    }
    std::cout << "  params:\n";
    for (const jobs::ParamSpec& p : spec.params) print_param(p);
    for (const auto& [param, field] : jobs::behaviour_of(spec).fences)
        std::cout << "    " << std::left << std::setw(18) << param << "fenced: the order's "
                  << field << " as read before sending; never set by a job\n";
}
}  // namespace

int actions_command(const Args& args) {
    po::options_description options("rcbatch actions: list the API actions a job can run");
    std::string name;
    RunFlags flags;
    options.add_options()("name", po::value(&name), "show only this action")(
        "config", po::value(&flags.config), "profile file whose actions-dir to list too")(
        "profile", po::value(&flags.profile), "the profile whose actions-dir to list too");
    po::positional_options_description positional;
    positional.add("name", 1);
    po::variables_map vm;
    if (auto code = parse_arguments("actions", "rcbatch actions [NAME] [--profile P]", args,
                                    options, positional, vm))
        return *code;
    bool profiles_ok = true;
    auto profile_file = load_profile_file(flags, profiles_ok);
    if (!profiles_ok || !add_action_files(profile_file, flags.profile))
        return exit_code(engine::ExitCode::bad_input);
    if (!name.empty()) {
        const jobs::ActionSpec* spec = jobs::find_action(name);
        if (!spec) {
            std::vector<std::string_view> names;
            for (const jobs::ActionSpec* a : jobs::all_actions()) names.push_back(a->name);
            std::string message = "unknown action " + engine::quoted_value(name);
            if (std::string guess = engine::closest(name, names); !guess.empty())
                message += " (did you mean '" + guess + "'?)";
            print_error("actions", message + "; rcbatch actions lists them");
            return exit_code(engine::ExitCode::bad_input);
        }
        print_action(*spec);
        return 0;
    }
    bool first = true;
    for (const jobs::ActionSpec* spec : jobs::all_actions()) {
        if (!first) std::cout << '\n';
        first = false;
        print_action(*spec);
    }
    return 0;
}

}  // namespace rcbatch::cli
