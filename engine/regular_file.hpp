#pragma once
// Opening a user's file without trusting what it is: only a regular file of bounded size is
// read. A FIFO, a directory, a device (/dev/zero) or a socket is refused at once with a
// one-line cause, so a hostile path can neither hang rcbatch nor make it read without end.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace rcbatch::engine {

// Size caps, named in the refusals (README "Size caps").
constexpr std::uint64_t max_toml_bytes = 1ull << 20;           // job and profile files
constexpr std::uint64_t max_key_file_bytes = 1ull << 20;       // an API key file
constexpr std::uint64_t max_target_file_bytes = 256ull << 20;  // a [targets] file

// An open, read-only descriptor of a regular file; closed on destruction.
class RegularFile {
  public:
    RegularFile() = default;
    RegularFile(RegularFile&& other) noexcept;
    RegularFile& operator=(RegularFile&& other) noexcept;
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    ~RegularFile();

    int fd() const noexcept { return fd_; }
    std::uint64_t size() const noexcept { return size_; }
    unsigned mode() const noexcept { return mode_; }  // st_mode's permission bits
    // Hands the descriptor over (the caller closes it).
    int release() noexcept;

  private:
    friend std::optional<RegularFile> open_regular_file(const std::filesystem::path&, std::uint64_t,
                                                        std::string&);
    int fd_ = -1;
    std::uint64_t size_ = 0;
    unsigned mode_ = 0;
};

// Opens `path` for reading (O_NONBLOCK, so a FIFO cannot block the open; fstat on the opened
// descriptor decides). On failure returns nullopt and sets `error` to the cause as a predicate
// without the path: "does not exist", "is a directory", "is a FIFO (named pipe), not a regular
// file", "is larger than the 1 MiB limit", "cannot be opened (Permission denied)", ...
std::optional<RegularFile> open_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error);

// The rest of `file`, refused (nullopt, `error`) when it grows past `max_bytes` meanwhile.
std::optional<std::string> read_all(const RegularFile& file, std::uint64_t max_bytes,
                                    std::string& error);

// The whole of a regular file of at most `max_bytes`; nullopt and `error` (as above) otherwise.
// A file that grows past the cap while it is read is refused too.
std::optional<std::string> read_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error);

// "1 MiB", "256 MiB", "512 KiB", "100 bytes".
std::string size_text(std::uint64_t bytes);

}  // namespace rcbatch::engine
