#pragma once
// Where each key of a target file was first seen, the index RepeatedTargets keeps to mark
// duplicate targets. Two kinds: FirstSeen (jobs/state/first_seen.hpp), a temporary SQLite
// file whose memory stays flat for a million targets, which rcbatch itself uses; and one in
// memory, for tests and small inputs. The reader of a job file takes a maker of either, so
// checking a job needs no SQLite.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

class SeenKeys {
  public:
    struct First {
        std::string place;   // where the key was first seen ("line 3")
        std::string params;  // that target's own parameters, as params_key wrote them
    };
    virtual ~SeenKeys() = default;
    // Records `key` as seen at `place` with `params` and returns nullopt, or, when it was seen
    // before, returns its first place and parameters and records nothing. May throw an
    // engine::Error when the index cannot be written (a full temporary folder).
    virtual std::optional<First> remember(std::string_view key, std::string_view place,
                                          std::string_view params) = 0;
};

// Makes a fresh index for one file or one run's targets.
using SeenKeysMaker = std::function<std::unique_ptr<SeenKeys>()>;

// An index that cannot be made or written (a full temporary folder), as one line: `why` and
// what the index is for. Throws engine::ReportError.
[[noreturn]] void fail_seen_keys(std::string_view why);

// An index in memory (~100 bytes a key): for tests and inputs known to be small.
std::unique_ptr<SeenKeys> seen_keys_in_memory();

}  // namespace rcbatch::jobs
