#pragma once
// One file replaced whole or not at all (ccache's AtomicFile): the new text goes to a temporary
// file in the same folder, is synced, and is renamed over the old one, so a reader — or a
// process started after a kill -9 — sees the old content or the new, never a part.

#include <filesystem>
#include <string_view>
#include <sys/types.h>

namespace rcbatch::engine {

// How far a write must hold: through a crash of the process (the rename is enough: the page
// cache outlives the process), or through a crash of the machine too (fsync before the rename).
enum class Durability { process_crash, machine_crash };

// Writes `text` to `path` atomically, with permissions `mode` (not narrowed by the umask).
// Throws std::runtime_error with a one-line message naming the file.
void write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode,
                           Durability durability = Durability::machine_crash);

}  // namespace rcbatch::engine
