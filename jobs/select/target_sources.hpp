#pragma once
// The explicit target sources of a job: a list of order ids, a list of domain names, or a
// targets file read line by line. Each hands the batch one engine::Target at a time.

#include "engine/batch/target.hpp"
#include "jobs/select/param_cells.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// Order ids as the job lists them.
class OrderIdSource final : public engine::TargetSource {
  public:
    explicit OrderIdSource(std::vector<std::int64_t> ids) : ids_(std::move(ids)) {}
    std::optional<engine::Target> next() override;
    std::size_t size() const noexcept { return ids_.size(); }

  private:
    std::vector<std::int64_t> ids_;
    std::size_t at_ = 0;
};

// Domain names; the action resolves each to its order id (domains/orderid.json).
class DomainNameSource final : public engine::TargetSource {
  public:
    explicit DomainNameSource(std::vector<std::string> names) : names_(std::move(names)) {}
    std::optional<engine::Target> next() override;
    std::size_t size() const noexcept { return names_.size(); }

  private:
    std::vector<std::string> names_;
    std::size_t at_ = 0;
};

// A targets file, streamed. A line that is not a usable target still becomes a Target, with
// its problem in extra["error"], so it gets a result record (never silently dropped). With
// `rules`, a line's parameter cells go to extra["params"] and its kept columns to
// extra["keep"] (target_context.hpp); a bad cell or unknown column is the line's error.
class FileSource final : public engine::TargetSource {
  public:
    // Throws std::runtime_error naming the file when it cannot be opened.
    FileSource(const std::string& path, bool names_allowed, ColumnRules rules = {});
    std::optional<engine::Target> next() override;

  private:
    TargetFileReader reader_;
    bool names_allowed_;
    ColumnRules rules_;
    std::uint64_t seq_ = 0;
};

}  // namespace rcbatch::jobs
