#pragma once
// api-key-file = "$CREDENTIALS_DIRECTORY/NAME": the key from systemd's credentials
// (LoadCredential= in the unit; systemd sets CREDENTIALS_DIRECTORY for the service), so one
// profile works for every instance of a template unit. No other variable is expanded.

#include <filesystem>
#include <optional>
#include <string_view>

namespace rcbatch::config {

// Whether `text` starts with "$CREDENTIALS_DIRECTORY/" or "${CREDENTIALS_DIRECTORY}/".
bool names_credentials_directory(std::string_view text) noexcept;

// `path` with that prefix replaced by the variable's value; `path` itself when it has no such
// prefix; nullopt when it has one and the variable is not set (or empty).
std::optional<std::filesystem::path> expand_credentials_directory(
    const std::filesystem::path& path);

}  // namespace rcbatch::config
