#include "jobs/run_folder/run_folder_files.hpp"

#include "engine/store/regular_file.hpp"

#include <boost/json/parse.hpp>

#include <system_error>

namespace rcbatch::jobs {

std::filesystem::path canonical_run_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::path path = std::filesystem::absolute(dir, ec);
    if (ec) path = dir;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (ec) resolved = path.lexically_normal();
    if (!resolved.has_filename() && resolved.has_parent_path()) resolved = resolved.parent_path();
    return resolved;
}

bool RunFolder::has(const std::filesystem::path& file) noexcept {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::symlink_status(file, ec));
}

SummaryRead RunFolder::read_summary() const {
    SummaryRead read;
    const std::filesystem::path path = summary();
    if (!has(path)) {
        read.missing = true;
        read.error = "cannot read " + path.string();
        return read;
    }
    std::string why;
    const auto text =
        engine::read_regular_file(path, engine::max_summary_bytes, why, engine::Links::refuse);
    if (!text) {
        read.error = path.string() + ": the file " + why;
        return read;
    }
    read.opened = true;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*text, ec);
    if (ec || !v.is_object()) {
        read.error = path.string() + ": not a summary (unreadable JSON)";
        return read;
    }
    read.object = std::move(v.get_object());
    return read;
}

}  // namespace rcbatch::jobs
