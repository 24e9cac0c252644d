#pragma once
// Reading what a run left behind, for the tests.

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
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

// A JSON value as text: a string's own text, anything else serialized.
inline std::string text_of(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    return boost::json::serialize(v);
}

inline std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace rcbatch::test
