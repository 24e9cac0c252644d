#pragma once
// What a message about a TOML file says of a node: where it is, and its type in words. Job and
// profile files (config/) and action files (jobs/actions/) report alike.

#include "engine/text/diagnostics.hpp"

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace rcbatch::engine {

// Where a node is in its file: line and column, 1-based (0 when toml++ does not know).
Diagnostic located(const std::string& file, const toml::source_region& where, std::string message);

// The TOML type of a node in words, for "expected an integer, got a string".
std::string_view type_name(const toml::node& n);

}  // namespace rcbatch::engine
