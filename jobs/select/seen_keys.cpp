#include "jobs/select/seen_keys.hpp"

#include "engine/report/report_writer.hpp"

namespace rcbatch::jobs {

namespace {

class SeenKeysInMemory final : public SeenKeys {
  public:
    std::optional<First> remember(std::string_view key, std::string_view place,
                                  std::string_view params) override {
        auto [it, inserted] =
            first_.try_emplace(std::string(key), First{std::string(place), std::string(params)});
        if (inserted) return std::nullopt;
        return it->second;
    }

  private:
    std::map<std::string, First, std::less<>> first_;
};

}  // namespace

void fail_seen_keys(std::string_view why) {
    throw engine::ReportError(std::string(why) + " (the index of the targets, to find duplicates)");
}

std::unique_ptr<SeenKeys> seen_keys_in_memory() { return std::make_unique<SeenKeysInMemory>(); }

}  // namespace rcbatch::jobs
