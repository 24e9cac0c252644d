#pragma once
// Reading what a run left behind, for the tests.

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rcbatch::test {

// The whole file; "" when it cannot be read.
inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The one run folder under <reports>/<job>/, or an empty path (none, or more than one).
inline std::filesystem::path run_folder(const std::filesystem::path& reports,
                                        const std::string& job) {
    std::filesystem::path found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(reports / job, ec)) {
        if (!e.is_directory()) continue;  // the job's .lock
        if (!found.empty()) return {};    // more than one
        found = e.path();
    }
    return found;
}

// A JSON value as text: a string's own text, anything else serialized.
inline std::string text_of(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    return boost::json::serialize(v);
}

// A money member of summary.json ("charged", "charged_in_doubt", ...) in USD: its amount as
// text ("150.000") and its count.
inline std::string usd_amount(const boost::json::object& summary, const char* member) {
    return text_of(summary.at(member).at("USD").at("amount"));
}
inline std::int64_t usd_count(const boost::json::object& summary, const char* member) {
    return summary.at(member).at("USD").at("count").to_number<std::int64_t>();
}

inline std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace rcbatch::test
