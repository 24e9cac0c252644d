#pragma once
// Every action rcbatch knows, by name: the built-in action files (jobs/actions/*.toml, embedded
// in the binary), then the user's folder and the profile's actions-dir (README "Action files").

#include "engine/text/diagnostics.hpp"
#include "jobs/actions/action_spec.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// One built-in action file as the build embedded it (builtin_actions.cpp, generated).
struct BuiltinActionFile {
    std::string_view name;  // "backup.renew.toml"
    std::string_view text;
};
const std::vector<BuiltinActionFile>& builtin_action_files();
// The mistakes in the built-in files, one line each: none, unless the build is broken.
const std::vector<std::string>& builtin_action_errors();

// All actions, in the order `rcbatch actions` lists them: the built-ins as the build lists
// them, then the added ones by file name. A redefined built-in keeps its place.
const std::vector<const ActionSpec*>& all_actions();

// The action called `name`, or nullptr.
const ActionSpec* find_action(std::string_view name);

// The search action that lists orders of `kind` (backup.search, domain.search), or nullptr.
const ActionSpec* search_action(TargetKind kind);

// domains/orderid.json: a domain name's order id. Not a job action; selectors use it.
const ActionSpec& domain_order_id_lookup();

// actions/search-current.json (`current`) or search-archived.json: an order's action log.
const ActionSpec& action_log_reader(bool current);

// Reads every *.toml in `folder` as action files from `origin` ("user", "profile") and adds
// them. Returns every mistake, one located line each; a folder with one adds nothing. A folder
// that does not exist adds nothing and is no mistake.
engine::Diagnostics add_action_folder(const std::filesystem::path& folder, std::string origin);

// Checks the action files `files` as add_action_folder would add them, adding nothing.
engine::Diagnostics check_action_files(const std::vector<std::filesystem::path>& files);

// The user's folder: $XDG_CONFIG_HOME/rcbatch/actions, else ~/.config/rcbatch/actions; empty
// when neither variable is set.
std::filesystem::path user_actions_folder();

}  // namespace rcbatch::jobs
