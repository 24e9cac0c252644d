#pragma once
// Reads one TOML table of a user's file (a job, a profile, an action file), checking keys and types
// and recording every problem as a located Diagnostic that names the key. Nothing here knows what
// the keys mean.

#include "engine/text/diagnostics.hpp"
#include "engine/text/toml_nodes.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::engine {

class TomlReader {
  public:
    // `prefix` names the table in messages: "" for the root, "run" for [run].
    TomlReader(const toml::table& table, std::string file, std::string prefix, Diagnostics& out);

    // Reports every key that is not in `allowed`, with a suggestion when one is close. Keys
    // named like an API key are left to reject_api_keys().
    void allow_only(const std::vector<std::string_view>& allowed);

    bool has(std::string_view key) const;
    const toml::node* node(std::string_view key) const;

    // Each getter returns nullopt and records an error when the key is there but wrong, or
    // missing while `required`. Ranges are inclusive.
    std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min,
                                        std::int64_t max);
    std::optional<double> number(std::string_view key, bool required, double min, double max);
    std::optional<bool> boolean(std::string_view key, bool required);
    std::optional<std::string> string(std::string_view key, bool required);
    std::optional<std::string> one_of(std::string_view key, bool required,
                                      const std::vector<std::string_view>& allowed);
    const toml::table* table(std::string_view key, bool required);

    // "run.concurrency" for key "concurrency" of [run].
    std::string qualified(std::string_view key) const;

    // Records an error at `where`, or at the table when `where` is null.
    void error(const toml::node* where, std::string message);
    void error_at_key(std::string_view key, std::string message);
    void missing(std::string_view key);

    const std::string& file() const { return file_; }
    Diagnostics& diagnostics() { return out_; }

  private:
    const toml::table& table_;
    std::string file_;
    std::string prefix_;
    Diagnostics& out_;
};

// True for key names that look like an API key (api-key, api_key, apikey, API-KEY).
bool looks_like_api_key(std::string_view key);

// Reports every key anywhere in `table` that looks like an API key, saying where keys belong.
void reject_api_keys(const toml::table& table, const std::string& file, Diagnostics& out,
                     const std::string& prefix = "");

// Parses `path` as TOML; a syntax error or an unreadable file becomes a diagnostic.
std::optional<toml::table> parse_toml_file(const std::string& path, Diagnostics& out);

}  // namespace rcbatch::engine
