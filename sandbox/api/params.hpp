#pragma once
// The parameters of one API request: the query string and a form body, merged (query
// first), decoded with '+' as space. Arrays are repeated keys.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::sandbox {

class Params {
  public:
    // Parses an encoded query string (no leading '?'); false when it is malformed (bad
    // percent escapes), and then nothing is added.
    bool add_encoded(std::string_view encoded);

    void add(std::string key, std::string value);

    // The first value of `key`, or nullopt.
    std::optional<std::string> get(std::string_view key) const;
    // Every value of `key`, in order.
    std::vector<std::string> all(std::string_view key) const;
    bool has(std::string_view key) const { return get(key).has_value(); }

    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

  private:
    std::vector<std::pair<std::string, std::string>> items_;
};

// A whole decimal number without sign, as ids are written; nullopt for anything else
// (empty, signs, spaces, overflow).
std::optional<std::uint64_t> parse_id(std::string_view text) noexcept;

// A signed decimal number; nullopt for anything else.
std::optional<std::int64_t> parse_int(std::string_view text) noexcept;

}  // namespace rcbatch::sandbox
