#pragma once
// The one redaction point (DESIGN.md "Secrets"): the process's secrets — the API key, a proxy
// password — are registered once, before any work starts, and every text rcbatch records or
// prints (records, the journal, summaries, stop messages, progress lines, `rcbatch report`)
// passes through redact(). Servers may echo the key in their messages; files may quote it.

#include <string>
#include <string_view>

namespace rcbatch::engine {

// Adds `secret` to the texts redact() replaces, in any of the forms engine/secret/secret_match.hpp
// decodes (percent-encoded once or more in any hex case, JSON and \xHH escapes, HTML
// references); one of 8 characters or more also in any ASCII case and with separators or
// markup between its characters. Call before the run's threads start; secrets shorter than 4
// characters are ignored.
void register_secret(std::string_view secret);

// `text` with the value of every `api-key=` (also `api-key%3D`) and the whole span of every
// match of a registered secret (its separators and markup included) replaced by `***`.
// One pass over the text: a byte that cannot start a match costs a table lookup.
std::string redact(std::string_view text);

// Whether `value` looks like an API key (20+ letters and digits, upper and lower case and a
// digit), so a message must not echo it even when it was given as something else.
bool could_be_a_key(std::string_view value);

// `text` with every run of letters and digits that could_be_a_key() replaced by `***`.
std::string mask_key_like(std::string_view text);

}  // namespace rcbatch::engine
