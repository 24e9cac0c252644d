#pragma once
// The one redaction point (DESIGN.md "Secrets"): the process's secrets — the API key, a proxy
// password — are registered once, before any work starts, and every text rcbatch records or
// prints (records, the journal, summaries, stop messages, progress lines, `rcbatch report`)
// passes through redact(). Servers may echo the key in their messages; files may quote it.

#include <string>
#include <string_view>

namespace rcbatch::engine {

// Adds `secret` (and its percent-encoded forms, once and twice encoded, any hex case) to the
// texts redact() replaces. Call before the run's threads start; empty and short (< 4
// characters) secrets are ignored.
void register_secret(std::string_view secret);

// `text` with the value of every `api-key=` (also `api-key%3D`) and every registered secret
// replaced by `***`.
std::string redact(std::string_view text);

// Whether `value` looks like an API key (20+ letters and digits, upper and lower case and a
// digit), so a message must not echo it even when it was given as something else.
bool could_be_a_key(std::string_view value);

// `text` with every run of letters and digits that could_be_a_key() replaced by `***`.
std::string mask_key_like(std::string_view text);

}  // namespace rcbatch::engine
