#pragma once
// Reading summary.json's members, whatever their type: for report.html, results.junit.xml and
// the text summary.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace rcbatch::engine {

// A member as text: a string as it is, another value as JSON; "" when absent or null.
std::string member_text(const boost::json::object& summary, std::string_view key);

// A member as a number; 0 when absent or not a number.
double member_number(const boost::json::object& summary, std::string_view key);

}  // namespace rcbatch::engine
