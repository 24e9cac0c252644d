#include "jobs/run_folder/json_lines.hpp"

#include <boost/json/parse.hpp>

namespace rcbatch::jobs {

JsonLineReader::JsonLineReader(const std::filesystem::path& path) : path_(path) {
    std::string why;
    auto file = engine::open_regular_file(path, engine::no_size_cap, why, engine::Links::refuse);
    opened_ = file.has_value();
    if (!file) {
        error_ = path.string() + ": the file " + why;
        return;
    }
    in_ = engine::LineReader(std::move(*file), engine::max_run_folder_line_bytes);
}

std::optional<JsonLine> JsonLineReader::next() {
    if (!opened_) return std::nullopt;
    while (in_.next(text_)) {
        if (text_.empty()) continue;
        ++lines_;
        JsonLine line;
        line.number = in_.lines();
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(text_, ec);
        if (!ec && v.is_object())
            line.object = std::move(v.get_object());
        else
            ++damaged_;
        return line;
    }
    if (!in_.error().empty()) error_ = path_.string() + ": " + in_.error();
    return std::nullopt;
}

JsonLinesRead for_each_json_line(const std::filesystem::path& path,
                                 const std::function<void(JsonLine&)>& each) {
    JsonLineReader reader(path);
    JsonLinesRead read;
    read.opened = reader.is_open();
    while (auto line = reader.next()) each(*line);
    read.failed = reader.failed();
    read.error = reader.error();
    read.lines = reader.lines();
    read.damaged = reader.damaged();
    return read;
}

}  // namespace rcbatch::jobs
