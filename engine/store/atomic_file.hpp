#pragma once
// One file replaced whole or not at all (ccache's AtomicFile), the one way rcbatch writes a
// file it replaces (summary.json, report.html, results.junit.xml, the metrics file, the sandbox's
// state): the new text goes to a new temporary file in the same folder (mkstemp: O_EXCL, never
// a name that exists), is synced, and is renamed over the old one — only when the old one is a
// regular file of the caller's with no other link, or there is none, so a symbolic link, FIFO
// or device planted under the name is refused, never replaced or written through — and the
// folder is synced. A reader, or a process started after a kill -9, sees the old content or the
// new, never a part.

#include "engine/store/private_file.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace rcbatch::engine {

// How far a write must hold: through a crash of the process (the rename is enough: the page
// cache outlives the process), or through a crash of the machine too (the file and its folder
// synced).
enum class Durability { process_crash, machine_crash };

class AtomicFile {
  public:
    // Creates the temporary file ".<name>.XXXXXX" beside `path`, with permissions `mode` (not
    // narrowed by the umask). Throws FileError naming the file.
    AtomicFile(std::filesystem::path path, mode_t mode);
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // Appends `text` to the temporary file. Throws FileError naming the file.
    void write(std::string_view text);
    // Puts the new file in place of `path` (see above). Throws FileError naming the file; the
    // old file is then untouched.
    void commit(Durability durability = Durability::machine_crash);

    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    [[noreturn]] void fail(std::string_view what, int err);

    std::filesystem::path path_;
    std::string tmp_;
    int fd_ = -1;
    bool committed_ = false;
};

// Writes `text` to `path` through an AtomicFile, with permissions `mode`. Throws FileError.
void write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode,
                           Durability durability = Durability::machine_crash);

}  // namespace rcbatch::engine
