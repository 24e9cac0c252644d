#include "jobs/json_lines.hpp"

#include <boost/json/parse.hpp>

namespace rcbatch::jobs {

JsonLineReader::JsonLineReader(const std::filesystem::path& path)
    : path_(path), in_(path, std::ios::binary) {
    opened_ = static_cast<bool>(in_);
}

std::optional<JsonLine> JsonLineReader::next() {
    if (!opened_) return std::nullopt;
    while (std::getline(in_, text_)) {
        ++number_;
        if (text_.empty()) continue;
        ++lines_;
        JsonLine line;
        line.number = number_;
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(text_, ec);
        if (!ec && v.is_object())
            line.object = std::move(v.get_object());
        else
            ++damaged_;
        return line;
    }
    return std::nullopt;
}

JsonLinesRead for_each_json_line(const std::filesystem::path& path,
                                 const std::function<void(JsonLine&)>& each) {
    JsonLineReader reader(path);
    JsonLinesRead read;
    read.opened = reader.is_open();
    while (auto line = reader.next()) each(*line);
    read.failed = reader.failed();
    read.lines = reader.lines();
    read.damaged = reader.damaged();
    return read;
}

}  // namespace rcbatch::jobs
