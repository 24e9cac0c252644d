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
constexpr std::uint64_t max_ca_file_bytes = 4ull << 20;        // a profile's ca-file (PEM)
constexpr std::uint64_t max_target_file_bytes = 256ull << 20;  // a [targets] file
constexpr std::uint64_t max_summary_bytes = 64ull << 20;       // a run folder's summary.json
constexpr std::uint64_t max_metrics_file_bytes = 16ull << 20;  // a --metrics-file read back
// One line of a run folder's JSON-lines files (a record holds at most one reply's fields, and
// a reply is capped at 8 MiB: escaped, a field's text can take six times its bytes).
constexpr std::uint64_t max_run_folder_line_bytes = 64ull << 20;
// The JSON-lines files are read a line at a time: only their lines are capped.
constexpr std::uint64_t no_size_cap = ~std::uint64_t{0};

// Whether a symbolic link as the path's last part is followed: a file the user named (a job,
// a key file) may be one; a file inside a run folder (which rcbatch made, and never puts a
// link in) or the metrics file is opened only as itself, so a link planted there cannot send
// a read or a write anywhere else.
enum class Links { follow, refuse };

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
                                                        std::string&, Links);
    int fd_ = -1;
    std::uint64_t size_ = 0;
    unsigned mode_ = 0;
};

// Opens `path` for reading (O_NONBLOCK, so a FIFO cannot block the open; fstat on the opened
// descriptor decides; with Links::refuse, O_NOFOLLOW). On failure returns nullopt and sets
// `error` to the cause as a predicate without the path: "does not exist", "is a directory",
// "is a FIFO (named pipe), not a regular file", "is a symbolic link, not a regular file", "is
// larger than the 1 MiB limit", "cannot be opened (Permission denied)", ...
std::optional<RegularFile> open_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error,
                                             Links links = Links::follow);

// The rest of `file`, refused (nullopt, `error`) when it grows past `max_bytes` meanwhile.
std::optional<std::string> read_all(const RegularFile& file, std::uint64_t max_bytes,
                                    std::string& error);

// The whole of a regular file of at most `max_bytes`; nullopt and `error` (as above) otherwise.
// A file that grows past the cap while it is read is refused too.
std::optional<std::string> read_regular_file(const std::filesystem::path& path,
                                             std::uint64_t max_bytes, std::string& error,
                                             Links links = Links::follow);

// What a file of type `mode` (st_mode) is when it is not a regular file, as a predicate: "is
// a directory", "is a FIFO (named pipe), not a regular file", "is a symbolic link, not a
// regular file", ...
std::string not_regular_kind(unsigned mode);

// "1 MiB", "256 MiB", "512 KiB", "100 bytes".
std::string size_text(std::uint64_t bytes);

}  // namespace rcbatch::engine
