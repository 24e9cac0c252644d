#pragma once
// A JSON object that names a member twice: Boost.JSON keeps the last value and says nothing
// (Boost 1.81 has no option to refuse it), so a target file's line `{"months":1,"months":120}`
// would renew 120 months without a word. This finds such a member, in any object of the text.

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// The first member name that one object of `json` gives twice (names compared after their
// escapes are decoded); nullopt when none is, or when `json` is not valid JSON (its parse
// says why). Never throws.
std::optional<std::string> repeated_member(std::string_view json);

}  // namespace rcbatch::jobs
