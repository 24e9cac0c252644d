#pragma once
// What the crash tests share: finding the run folder a killed run left, and reading its JSON
// Lines files.

#include "tests/support/files.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace rcbatch::test::crash {

// The run folder under <reports>/<job>/ that has a journal, or an empty path.
inline std::filesystem::path journaled_run(const std::filesystem::path& reports,
                                           const std::string& job) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(reports / job, ec))
        if (e.is_directory() && std::filesystem::exists(e.path() / "journal.jsonl"))
            return e.path();
    return {};
}

// Every non-empty line of `file` as a JSON object.
inline std::vector<boost::json::object> jsonl(const std::filesystem::path& file) {
    std::vector<boost::json::object> lines;
    std::istringstream in(slurp(file));
    std::string text;
    while (std::getline(in, text))
        if (!text.empty()) lines.push_back(boost::json::parse(text).as_object());
    return lines;
}

}  // namespace rcbatch::test::crash
