#pragma once
// Opening a file to write, without trusting the folder it is in. Run folders hold customer
// data and auto-login tokens: their folders are created 0700 and their files 0600, whatever the
// umask. A file is written only as itself: never through a symbolic link (O_NOFOLLOW), never a
// FIFO (opened O_NONBLOCK, so none can block the open) or a device, never a file of another
// user or one with other hard links — so a name planted in a folder that someone else can
// write cannot turn a write of rcbatch's into a write somewhere else (README "Hostile files").
// Files replaced whole go through engine/store/atomic_file.hpp, which keeps to the same rules.

#include "engine/failure.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

namespace rcbatch::engine {

// A file that cannot be written (a full disk, a refused name): one line naming the file.
class FileError : public Error {
  public:
    explicit FileError(const std::string& text) : Error(Failure::files, text) {}
};

// How a file is opened for writing.
enum class FileOpen {
    create,   // a new file: refused when the name exists, whatever it is (O_EXCL)
    replace,  // a new file in place of a regular file of the caller's (removed first), or of none
    append,   // a regular file of the caller's, continued; created when there is none
};

// Opens `path` for writing (and reading too, with `read`), a new file mode 0600. Returns the
// descriptor, or -1 and `error` the cause as a predicate without the path: "exists already",
// "is a symbolic link, not a regular file", "is a FIFO (named pipe), not a regular file",
// "belongs to another user (uid 1001)", "has other hard links", "cannot be opened (...)".
int open_private_fd(const std::filesystem::path& path, FileOpen how, std::string& error,
                    bool read = false);

// The same as a stdio stream; nullptr and `error` on failure.
std::FILE* open_private_file(const std::filesystem::path& path, FileOpen how, std::string& error);

// Why the caller must not replace or continue the file `st` describes (from lstat or fstat):
// nullopt for a regular file the caller owns with one link, else the cause as above.
std::optional<std::string> not_own_regular_file(const struct stat& st);

// The same for `path` (lstat: a link is judged, not its target); nullopt when it is absent.
std::optional<std::string> not_replaceable(const std::filesystem::path& path);

// Creates `dir` (one level) mode 0700: true when it was created, false when it exists; any
// other failure is `ec`.
bool create_private_dir(const std::filesystem::path& dir, std::error_code& ec);

}  // namespace rcbatch::engine
