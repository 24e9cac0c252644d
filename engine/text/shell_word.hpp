#pragma once
// Words of a command that a person pastes into a shell (the hints rcbatch prints: "continue it
// with: ...", "run: chmod o-w DIR").

#include <string>

namespace rcbatch::engine {

// `value` as one POSIX shell word: unchanged when it is plain, else in single quotes.
std::string shell_word(const std::string& value);

}  // namespace rcbatch::engine
