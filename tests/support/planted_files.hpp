#pragma once
// Hostile names planted in a temporary folder for the tests of the file layer (README "Hostile
// files"): a FIFO nobody writes, a device node, a symbolic link to a victim file, a hard link.
// Device nodes are made with mknod(2) in the temporary folder, never in the real /dev; where
// the process may not make one (not root, no CAP_MKNOD), device_node() says so and returns
// false, and the caller leaves that case out with a MESSAGE.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace rcbatch::test {

// A FIFO at `path`; a blocking open or read of it would wait for a writer that never comes.
inline bool fifo(const std::filesystem::path& path) { return ::mkfifo(path.c_str(), 0600) == 0; }

// A character device node at `path`: (1, 3) is what /dev/null is, (1, 5) /dev/zero, (1, 7)
// /dev/full.
inline bool device_node(const std::filesystem::path& path, unsigned minor) {
    return ::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)) == 0;
}

inline bool is_char_device(const std::filesystem::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

// A file with `text`, the victim a planted link points at.
inline void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// A sparse regular file of `bytes` zero bytes and no newline (no disk used).
inline void sparse_file(const std::filesystem::path& path, std::uintmax_t bytes) {
    { std::ofstream touch(path); }
    std::filesystem::resize_file(path, bytes);
}

}  // namespace rcbatch::test
