#pragma once
// targets.jsonl in the run folder: the batch's targets, fixed when the run starts, one JSON
// object a line ({"seq","given","id","extra"}). Written by the selection, read back by the run
// (and by --resume and --plan), so orders that change mid-run never shift the batch.

#include "engine/batch/target.hpp"
#include "jobs/run_folder/json_lines.hpp"
#include "jobs/select/repeated_targets.hpp"

#include <boost/json/object.hpp>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

class TargetsWriter {
  public:
    // Creates the file, a new one (engine::FileOpen::create), and finds repeated orders with
    // `index` (rcbatch's own: FirstSeen, jobs/state/first_seen.hpp); throws engine::ReportError
    // naming it on failure.
    TargetsWriter(const std::filesystem::path& path, std::unique_ptr<SeenKeys> index);
    ~TargetsWriter();
    TargetsWriter(const TargetsWriter&) = delete;
    TargetsWriter& operator=(const TargetsWriter&) = delete;

    // Appends `target` with the next seq (its own seq is ignored). A later target of an order
    // (by id, or by domain name in any case) is marked a duplicate of the first one's line
    // (its extra["line"], else its entry number), or, when its own parameters differ, an
    // error naming them (it runs neither way). Throws engine::ReportError on a write error
    // (of the file, or of the temporary index of keys).
    void write(engine::Target target);
    // Flushes and closes; throws on a write error.
    void close();
    std::uint64_t count() const noexcept { return count_; }
    std::uint64_t duplicates() const noexcept { return duplicates_; }

  private:
    void check_repeated(engine::Target& target);

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    std::uint64_t count_ = 0;
    std::uint64_t duplicates_ = 0;
    RepeatedTargets seen_;
};

// Streams a targets.jsonl back. Throws std::runtime_error naming the file and line when it
// cannot be opened or a line is not a target.
class TargetsFileSource final : public engine::TargetSource {
  public:
    explicit TargetsFileSource(const std::filesystem::path& path);
    std::optional<engine::Target> next() override;

  private:
    JsonLineReader in_;
};

// Copies the targets of `source` into `writer`, at most `limit` of them (0: every one), and
// returns how many `source` had: those past the limit are counted, never written, so a list
// refused for max-orders costs no disk.
std::uint64_t copy_targets(engine::TargetSource& source, TargetsWriter& writer,
                           std::uint64_t limit = 0);

}  // namespace rcbatch::jobs
