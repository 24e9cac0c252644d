#include "jobs/run_folder/targets_jsonl.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/store/private_file.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/order/target_context.hpp"
#include "jobs/select/param_cells.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace rcbatch::jobs {

namespace {
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw std::runtime_error(path.string() + ": " + what);
}

// A write that failed (a full disk): the run's files cannot be written, exit 3.
[[noreturn]] void fail_write(const std::filesystem::path& path) {
    throw engine::ReportError(path.string() + ": cannot write: " + std::strerror(errno));
}

// A file that cannot be created in the new run folder.
[[noreturn]] void fail_create(const std::filesystem::path& path, const std::string& why) {
    throw engine::ReportError("cannot write " + path.string() + ": the file " + why);
}
}  // namespace

TargetsWriter::TargetsWriter(const std::filesystem::path& path, std::unique_ptr<SeenKeys> index)
    : path_(path), seen_(std::move(index)) {
    std::string why;
    file_ = engine::open_private_file(path, engine::FileOpen::create, why);
    if (!file_) fail_create(path_, why);
}

TargetsWriter::~TargetsWriter() {
    if (file_) std::fclose(file_);
}

// A target of an order seen before: a duplicate, or an error when its parameters differ.
// Targets that cannot run (a bad line) are not looked at.
void TargetsWriter::check_repeated(engine::Target& target) {
    const std::string key = order_key(target.id, target.given);
    if (target.extra.contains("error") || key.empty()) return;
    const auto* line_no = target.extra.if_contains("line");
    const std::string where = line_no && line_no->is_int64()
                                  ? "line " + std::to_string(line_no->get_int64())
                                  : "entry " + std::to_string(count_ + 1);
    const auto* own = target.extra.if_contains("params");
    const boost::json::object none;
    RepeatedTargets::Verdict seen;
    try {
        seen = seen_.see(key, where, own && own->is_object() ? own->get_object() : none);
    } catch (const engine::Error& e) {
        fail_seen_keys(e.what());
    }
    if (!seen.first) return;
    if (!seen.conflict.empty()) {
        target.extra["error"] = where + ": the order of " + *seen.first +
                                " again, with other parameters (" + seen.conflict + ")";
        return;
    }
    mark_duplicate(target, *seen.first);
    ++duplicates_;
}

void TargetsWriter::write(engine::Target target) {
    check_repeated(target);
    boost::json::object line;
    line["seq"] = count_;
    line["given"] = target.given;
    line["id"] = target.id;
    if (!target.extra.empty()) line["extra"] = std::move(target.extra);
    std::string text = boost::json::serialize(line);
    text += '\n';
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail_write(path_);
    ++count_;
}

void TargetsWriter::close() {
    if (!file_) return;
    const bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed) fail_write(path_);
}

TargetsFileSource::TargetsFileSource(const std::filesystem::path& path) : in_(path) {
    if (!in_.is_open()) throw std::runtime_error(in_.error() + " (the run's targets)");
}

std::optional<engine::Target> TargetsFileSource::next() {
    std::optional<JsonLine> line = in_.next();
    if (!line && in_.failed()) throw std::runtime_error(in_.error() + " (the run's targets)");
    if (!line) return std::nullopt;
    const boost::json::object* o = line->object ? &*line->object : nullptr;
    const boost::json::value* seq = o ? o->if_contains("seq") : nullptr;
    if (!o || !seq || !seq->is_number() || !o->contains("given") || !o->at("given").is_string())
        fail(in_.path(), "line " + std::to_string(line->number) + " is not a target");
    engine::Target t;
    t.seq = seq->to_number<std::uint64_t>();
    t.given = std::string(o->at("given").as_string());
    if (const auto* id = o->if_contains("id"); id && id->is_string())
        t.id = std::string(id->as_string());
    if (const auto* extra = o->if_contains("extra"); extra && extra->is_object())
        t.extra = extra->as_object();
    return t;
}

std::uint64_t copy_targets(engine::TargetSource& source, TargetsWriter& writer,
                           std::uint64_t limit) {
    std::uint64_t seen = 0;
    while (auto target = source.next())
        if (++seen <= limit || limit == 0) writer.write(std::move(*target));
    return seen;
}

}  // namespace rcbatch::jobs
