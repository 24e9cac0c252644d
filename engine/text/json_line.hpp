#pragma once
// JSON for log lines read by machines and people: numbers in plain decimal ("4.05", never
// Boost.JSON's "4.05E0"), and strings escaped so that a log viewer shows no control or bidi
// character raw (README "--log-format json").

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace rcbatch::engine {

// `v` as one line of JSON: doubles in the shortest plain decimal that reads back the same
// (non-finite ones as null), strings with ", \ and C0 controls escaped as JSON requires and
// DEL, C1 controls, bidi and line-separator characters as \uXXXX; a byte that is not UTF-8
// becomes \ufffd. No newline at the end. Pure.
std::string json_line(const boost::json::value& v);

// One string as a JSON string literal, quotes included, escaped as json_line does.
std::string json_string(std::string_view text);

// A double in the shortest plain decimal that reads back the same: 4.05 -> "4.05", 1e21 ->
// "1000000000000000000000", 0.1 -> "0.1"; "null" for NaN and infinities.
std::string json_number(double v);

}  // namespace rcbatch::engine
