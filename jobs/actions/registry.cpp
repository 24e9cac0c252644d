#include "jobs/actions/registry.hpp"

#include "engine/store/regular_file.hpp"
#include "jobs/actions/action_file.hpp"
#include "jobs/actions/actions.hpp"
#include "jobs/actions/declared_action.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <system_error>

namespace rcbatch::jobs {

namespace {

// Not job actions, and not redefinable: the lookups every run's selection and evidence read.
const std::vector<const ActionSpec*>& internal_actions() {
    static const std::vector<const ActionSpec*> list{
        &actions::domain_orderid, &actions::action_log_current, &actions::action_log_archived};
    return list;
}

struct SourceFile {
    std::string file;  // as messages name it
    std::string text;
    bool read = false;  // class = "read": parsed first, since changes name their reads
};

bool declares_a_read(std::string_view text) {
    try {
        const toml::table t = toml::parse(text);
        return t["class"].value_or(std::string_view{}) == "read";
    } catch (const toml::parse_error&) {
        return false;  // read_action_file reports it
    }
}

class Registry {
  public:
    Registry() {
        std::vector<SourceFile> files;
        for (const BuiltinActionFile& f : builtin_action_files())
            files.push_back({"built-in " + std::string(f.name), std::string(f.text), false});
        engine::Diagnostics errors = add(std::move(files), "built-in", false);
        // A built-in file that does not read is the build's mistake, caught by its tests.
        for (const auto& d : errors) broken_builtins_.push_back(engine::format(d));
    }

    const std::vector<const ActionSpec*>& list() const { return list_; }

    const ActionSpec* find(std::string_view name) const {
        for (const ActionSpec* spec : list_)
            if (spec->name == name) return spec;
        return nullptr;
    }

    engine::Diagnostics add(std::vector<SourceFile> files, const std::string& origin,
                            bool dry_run) {
        std::vector<std::string> order;  // as given: the listing's order
        for (SourceFile& f : files) {
            f.read = declares_a_read(f.text);
            order.push_back(f.file);
        }
        std::stable_sort(files.begin(), files.end(),
                         [](const SourceFile& a, const SourceFile& b) { return a.read > b.read; });
        engine::Diagnostics errors;
        std::vector<std::unique_ptr<DeclaredAction>> added;
        auto find_any = [&](std::string_view name) -> const ActionSpec* {
            for (const auto& a : added)
                if (a->spec().name == name) return &a->spec();
            return find(name);
        };
        for (const SourceFile& f : files) {
            ActionFileRead r = read_action_file(f.text, f.file, origin, find_any);
            errors.insert(errors.end(), r.errors.begin(), r.errors.end());
            if (!r.declaration) continue;
            if (auto why = clash(*r.declaration, added)) {
                errors.push_back({f.file, 1, 1, "name: " + *why});
                continue;
            }
            added.push_back(std::make_unique<DeclaredAction>(std::move(*r.declaration)));
        }
        if (!errors.empty() || dry_run) return errors;
        // In the order the files were given, not the order they were read.
        std::sort(added.begin(), added.end(), [&](const auto& a, const auto& b) {
            return std::find(order.begin(), order.end(), a->declaration().file) <
                   std::find(order.begin(), order.end(), b->declaration().file);
        });
        for (auto& a : added) {
            const ActionSpec* spec = &a->spec();
            auto same = std::find_if(list_.begin(), list_.end(),
                                     [&](const ActionSpec* s) { return s->name == spec->name; });
            if (same != list_.end())
                *same = spec;
            else
                list_.push_back(spec);
            owned_.push_back(std::move(a));
        }
        return errors;
    }

    const std::vector<std::string>& broken_builtins() const { return broken_builtins_; }

  private:
    std::optional<std::string> clash(const Declaration& d,
                                     const std::vector<std::unique_ptr<DeclaredAction>>& added) {
        for (const auto& a : added)
            if (a->spec().name == d.name)
                return "'" + d.name + "' is also declared in " + a->declaration().file;
        for (const ActionSpec* internal : internal_actions())
            if (internal->name == d.name) return "'" + d.name + "' is rcbatch's own lookup";
        const ActionSpec* existing = find(d.name);
        const bool builtin = existing && existing->origin == "built-in";
        if (existing && existing->file == d.file) return std::nullopt;  // checked again
        if (existing && !builtin)
            return "'" + d.name + "' is also declared in " + std::string(existing->file);
        if (builtin && !d.replaces_built_in)
            return "'" + d.name +
                   "' is a built-in action; to redefine it, write replaces-built-in = true";
        if (!builtin && d.replaces_built_in)
            return "replaces-built-in = true, but no built-in action is called '" + d.name + "'";
        return std::nullopt;
    }

    std::vector<std::unique_ptr<DeclaredAction>> owned_;
    std::vector<const ActionSpec*> list_;
    std::vector<std::string> broken_builtins_;
};

Registry& registry() {
    static Registry r;
    return r;
}

std::vector<SourceFile> folder_files(const std::filesystem::path& folder,
                                     engine::Diagnostics& errors) {
    std::vector<SourceFile> out;
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) return out;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.path().extension() == ".toml") paths.push_back(entry.path());
    if (ec) errors.push_back({folder.string(), 0, 0, "the folder cannot be read: " + ec.message()});
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
        std::string error;
        auto text = engine::read_regular_file(p, engine::max_toml_bytes, error);
        if (!text) {
            errors.push_back({p.string(), 0, 0, "the file " + error});
            continue;
        }
        out.push_back({p.string(), std::move(*text), false});
    }
    return out;
}

}  // namespace

const std::vector<const ActionSpec*>& all_actions() { return registry().list(); }

const ActionSpec* find_action(std::string_view name) { return registry().find(name); }

const std::vector<std::string>& builtin_action_errors() { return registry().broken_builtins(); }

const ActionSpec* search_action(TargetKind kind) {
    for (const ActionSpec* spec : all_actions())
        if (spec->lists == kind && spec->listing == Listing::search_pages) return spec;
    return nullptr;
}

const ActionSpec& domain_order_id_lookup() { return actions::domain_orderid; }

const ActionSpec& action_log_reader(bool current) {
    return current ? actions::action_log_current : actions::action_log_archived;
}

engine::Diagnostics add_action_folder(const std::filesystem::path& folder, std::string origin) {
    engine::Diagnostics errors;
    auto files = folder_files(folder, errors);
    if (!errors.empty()) return errors;
    return registry().add(std::move(files), origin, false);
}

engine::Diagnostics check_action_files(const std::vector<std::filesystem::path>& paths) {
    engine::Diagnostics errors;
    std::vector<SourceFile> files;
    for (const auto& p : paths) {
        std::string error;
        auto text = engine::read_regular_file(p, engine::max_toml_bytes, error);
        if (!text)
            errors.push_back({p.string(), 0, 0, "the file " + error});
        else
            files.push_back({p.string(), std::move(*text), false});
    }
    engine::Diagnostics more = registry().add(std::move(files), "user", true);
    errors.insert(errors.end(), more.begin(), more.end());
    return errors;
}

std::filesystem::path user_actions_folder() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "rcbatch" / "actions";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".config" / "rcbatch" / "actions";
    return {};
}

}  // namespace rcbatch::jobs
