#pragma once
// The access token of `rcbatch serve --token-file`: reading it like a key file, finding it in a
// request (Authorization: Bearer, or the rcbatch_token cookie) and comparing it in constant time.

#include <filesystem>
#include <string>
#include <string_view>

namespace rcbatch::serve {

// The smallest token read_token_file accepts.
constexpr std::size_t min_token_length = 16;
// The cookie the login page sets.
constexpr std::string_view token_cookie_name = "rcbatch_token";

// The token in the regular file `path` (a link to one is followed; at most 4 KiB): its text
// trimmed of surrounding whitespace, one line of at least min_token_length characters, each
// printable ASCII allowed in a cookie value (no space, '"', ',', ';' or '\'). Throws
// std::runtime_error, one line naming the file, when it cannot be read, can be read or written
// by group or others, or holds no such token.
std::string read_token_file(const std::filesystem::path& path);

// Whether `given` is `expected`, in a time that depends on neither text (SHA-256 digests
// compared with CRYPTO_memcmp). An empty `expected` matches nothing.
bool token_matches(std::string_view given, std::string_view expected);

// The token a request carries: "Bearer X" in `authorization` (the scheme in any case), else the
// value of the rcbatch_token cookie in `cookie` (a Cookie header of one or more "name=value"
// pairs separated by ';'); empty when neither holds one. A view into the arguments.
std::string_view token_in_request(std::string_view authorization, std::string_view cookie);

}  // namespace rcbatch::serve
