#pragma once
// Small readers of the API's loose data, shared by the jobs files: string fields of a reply
// object, whole numbers sent as text (ids, Unix seconds), ASCII case folding.

#include "engine/text/ascii_case.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// The string value of `key` in `o`; "" when it is absent or not a string.
std::string string_field(const boost::json::object& o, std::string_view key);

// A whole decimal number that is all of `text` ("1572096892"); nullopt for anything else.
std::optional<std::int64_t> parse_whole(std::string_view text);

using engine::ascii_lower;
using engine::istarts_with;

}  // namespace rcbatch::jobs
