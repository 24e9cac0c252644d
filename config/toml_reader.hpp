#pragma once
// engine::TomlReader with what only job and profile files have: durations ("30s") and the
// settings of config/settings.hpp with their keys and ranges.

#include "config/diagnostics.hpp"
#include "config/duration.hpp"
#include "config/settings.hpp"
#include "engine/text/toml_reader.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace rcbatch::config {

using engine::located;
using engine::looks_like_api_key;
using engine::parse_toml_file;
using engine::reject_api_keys;
using engine::type_name;

class TomlReader : public engine::TomlReader {
  public:
    using engine::TomlReader::integer;
    using engine::TomlReader::number;
    using engine::TomlReader::TomlReader;

    // A duration from `min` to `max` (inclusive): "must be from 1ms to 10m, got 106752d".
    std::optional<std::chrono::milliseconds> duration(std::string_view key, bool required,
                                                      DurationRange range);
    // The same for a setting of config/settings.hpp, with its key and range; never required.
    std::optional<std::int64_t> integer(const settings::IntegerSetting& s) {
        return integer(s.key, false, s.min, s.max);
    }
    std::optional<double> number(const settings::NumberSetting& s) {
        return number(s.key, false, s.min, s.max);
    }
    std::optional<std::chrono::milliseconds> duration(const settings::DurationSetting& s) {
        return duration(s.key, false, s.range);
    }
};

}  // namespace rcbatch::config
