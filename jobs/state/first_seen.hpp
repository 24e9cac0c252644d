#pragma once
// Where each key was first seen, for marking duplicate targets, kept in a temporary SQLite
// database (a file SQLite creates in its temporary folder and removes when closed) with a
// small page cache: memory stays flat whether a target file holds a hundred orders or a
// million, where a map in memory took ~100 bytes a target.

#include "jobs/select/seen_keys.hpp"
#include "jobs/state/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// rcbatch's own index of a target file's or a run's keys (seen_keys.hpp). Throws
// engine::ReportError naming the temporary folder when it cannot be made.
std::unique_ptr<SeenKeys> seen_keys_on_disk();

class FirstSeen final : public SeenKeys {
  public:
    // Throws SqliteError when the temporary database cannot be made.
    FirstSeen();

    // Records `key` as seen at `place` and returns nullopt, or, when it was seen before, returns
    // that first place and records nothing. Throws SqliteError (naming the temporary folder)
    // when the database cannot be written, e.g. a full disk.
    std::optional<std::string> remember(std::string_view key, std::string_view place);

    // The same, keeping `params` (the target's own parameters, as params_key writes them)
    // beside the place: a key seen before gives back its first place and parameters.
    std::optional<First> remember(std::string_view key, std::string_view place,
                                  std::string_view params) override;

  private:
    SqliteDb db_;
    SqliteStatement insert_;
    SqliteStatement select_;
};

}  // namespace rcbatch::jobs
