#pragma once
// The fuzz input as a file, for the loaders that read a path: one file per process, rewritten
// for each input (the loaders refuse what is not a regular file, so a pipe cannot stand in).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace rcbatch::fuzz {

inline std::filesystem::path input_file(const std::uint8_t* data, std::size_t size,
                                        const char* extension) {
    // /dev/shm when there is one: rewriting a file on a disk costs more than the parse.
    static const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                                 ? std::filesystem::path("/dev/shm")
                                                 : std::filesystem::temp_directory_path();
    static const std::filesystem::path path =
        dir / ("rcbatch-fuzz-" + std::to_string(::getpid()) + extension);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

// The fuzz input as the file `name` of a run folder of its own (one per process), for the
// readers that take a folder: its path, the folder being `.parent_path()`.
inline std::filesystem::path input_folder_file(const std::uint8_t* data, std::size_t size,
                                               const char* name) {
    static const std::filesystem::path dir =
        (std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                   : std::filesystem::temp_directory_path()) /
        ("rcbatch-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path path = dir / name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

// Traps when `text` holds a byte or character printable() should have escaped.
inline void check_printable(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) std::abort();
        // U+202A..U+202E, U+2066..U+2069 (E2 80 AA..AE, E2 81 A6..A9), C1 (C2 80..9F)
        if (c == 0xE2 && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) std::abort();
            if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) std::abort();
        }
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F &&
            static_cast<unsigned char>(text[i + 1]) >= 0x80)
            std::abort();
    }
}

}  // namespace rcbatch::fuzz
