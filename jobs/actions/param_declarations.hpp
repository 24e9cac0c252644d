#pragma once
// An action file's [params] (README "Action files"), and the small readers its other tables
// share: a word from a list ("class", "type"), a list of strings.

#include "engine/text/toml_reader.hpp"
#include "jobs/actions/declaration.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::jobs {

// The value of the word at `key`, one of `table`'s (with "did you mean"); nullopt and a
// diagnostic when it is another word, nullopt alone when it is absent and not `required`.
template <class T>
std::optional<T> pick_word(engine::TomlReader& r, std::string_view key, bool required,
                           const std::vector<std::pair<std::string_view, T>>& table) {
    std::vector<std::string_view> words;
    for (const auto& [w, v] : table) words.push_back(w);
    auto text = r.one_of(key, required, words);
    if (!text) return std::nullopt;
    for (const auto& [w, v] : table)
        if (w == *text) return v;
    return std::nullopt;
}

// The non-empty strings listed at `key` (a single string too when `one_allowed`); nullopt when
// absent, or after a diagnostic when it is something else.
std::optional<std::vector<std::string>> string_list(engine::TomlReader& r, std::string_view key,
                                                    bool one_allowed = false);

// The [params] of the file `root` reads, in the order written (`rcbatch actions` lists them
// so). Every mistake is a diagnostic; `id_param` cannot be one of them.
std::vector<DeclaredParam> read_declared_params(engine::TomlReader& root,
                                                const std::string& id_param);

}  // namespace rcbatch::jobs
