#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/text/suggest.hpp"
#include "engine/text/display_text.hpp"
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
    std::cout << "    " << std::left << std::setw(18) << p.name << std::setw(18)
              << jobs::to_string(p.type) << std::setw(10) << (p.required ? "required" : "optional");
    const auto number = [](double v) { return std::to_string(static_cast<long long>(v)); };
    if (p.min && p.max)
        std::cout << number(*p.min) << ".." << number(*p.max) << "  ";
    else if (p.min)
        std::cout << "at least " << number(*p.min) << "  ";
    else if (p.max)
        std::cout << "at most " << number(*p.max) << "  ";
    std::cout << p.description;
    if (!p.allowed.empty()) {
        std::cout << "; one of: ";
        const char* separator = "";
        for (std::string_view a : p.allowed) {
            std::cout << separator << a;
            separator = ", ";
        }
    }
    std::cout << '\n';
}

void print_action(const jobs::ActionSpec& spec) {
    std::cout << spec.name << "  " << jobs::to_string(spec.method) << ' ' << spec.path << "  ["
              << effects_text(spec) << "]\n"
              << "  " << spec.summary << '\n'
              << "  targets: " << targets_text(spec.targets) << '\n';
    if (jobs::needs_region(spec)) std::cout << "  region: us | asia (required)\n";
    if (spec.params.empty()) {
        std::cout << "  params: none\n";
        return;
    }
    std::cout << "  params:\n";
    for (const jobs::ParamSpec& p : spec.params) print_param(p);
}
}  // namespace

int actions_command(const Args& args) {
    po::options_description options("rcbatch actions: list the API actions a job can run");
    std::string name;
    options.add_options()("name", po::value(&name), "show only this action");
    po::positional_options_description positional;
    positional.add("name", 1);
    po::variables_map vm;
    if (auto code =
            parse_arguments("actions", "rcbatch actions [NAME]", args, options, positional, vm))
        return *code;
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
