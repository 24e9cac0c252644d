#pragma once
// Run folders hold customer data and auto-login tokens: their folders are created 0700 and
// their files 0600, whatever the umask.

#include <cstdio>
#include <filesystem>

namespace rcbatch::engine {

// std::fopen with mode "wb", "ab", "w" or "a", creating the file 0600. nullptr and errno on
// failure.
std::FILE* open_private_file(const std::filesystem::path& path, const char* mode);

// Creates `dir` (one level) mode 0700: true when it was created, false when it exists; any
// other failure is `ec`.
bool create_private_dir(const std::filesystem::path& dir, std::error_code& ec);

}  // namespace rcbatch::engine
