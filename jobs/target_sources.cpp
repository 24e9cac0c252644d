#include "jobs/target_sources.hpp"

namespace rcbatch::jobs {

std::optional<engine::Target> OrderIdSource::next() {
    if (at_ == ids_.size()) return std::nullopt;
    engine::Target t;
    t.seq = at_;
    t.id = std::to_string(ids_[at_++]);
    t.given = t.id;
    return t;
}

std::optional<engine::Target> DomainNameSource::next() {
    if (at_ == names_.size()) return std::nullopt;
    engine::Target t;
    t.seq = at_;
    t.given = names_[at_++];
    return t;
}

FileSource::FileSource(const std::string& path, bool names_allowed)
    : reader_(path), names_allowed_(names_allowed) {}

std::optional<engine::Target> FileSource::next() {
    auto line = reader_.next();
    if (!line) return std::nullopt;
    engine::Target t;
    t.seq = seq_++;
    t.given = line->given;
    if (line->order_id) t.id = std::to_string(*line->order_id);
    std::string error = line->error;
    if (error.empty() && !line->order_id && !names_allowed_)
        error = "'" + line->given + "' is not an order id (this action takes order ids)";
    if (!error.empty()) t.extra["error"] = "line " + std::to_string(line->line) + ": " + error;
    else t.extra["line"] = line->line;
    return t;
}

}  // namespace rcbatch::jobs
