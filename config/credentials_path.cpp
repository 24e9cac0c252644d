#include "config/credentials_path.hpp"

#include <array>
#include <cstdlib>
#include <string>

namespace rcbatch::config {

namespace {
constexpr std::array<std::string_view, 2> prefixes{"$CREDENTIALS_DIRECTORY/",
                                                   "${CREDENTIALS_DIRECTORY}/"};
}

bool names_credentials_directory(std::string_view text) noexcept {
    for (std::string_view p : prefixes)
        if (text.starts_with(p)) return true;
    return false;
}

std::optional<std::filesystem::path> expand_credentials_directory(
    const std::filesystem::path& path) {
    const std::string text = path.string();
    for (std::string_view p : prefixes) {
        if (!text.starts_with(p)) continue;
        const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
        if (dir == nullptr || *dir == '\0') return std::nullopt;
        return std::filesystem::path(dir) / text.substr(p.size());
    }
    return path;
}

}  // namespace rcbatch::config
