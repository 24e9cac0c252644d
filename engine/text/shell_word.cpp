#include "engine/text/shell_word.hpp"

namespace rcbatch::engine {

std::string shell_word(const std::string& value) {
    constexpr const char* plain =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:/=+@%";
    if (!value.empty() && value.find_first_not_of(plain) == std::string::npos) return value;
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace rcbatch::engine
