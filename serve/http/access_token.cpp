#include "serve/http/access_token.hpp"

#include "engine/store/regular_file.hpp"
#include "engine/text/ascii_case.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>
#include <sys/stat.h>

namespace rcbatch::serve {

namespace {

constexpr std::uint64_t max_token_file_bytes = 4 * 1024;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// RFC 6265's cookie-octet: printable ASCII but space, '"', ',', ';' and '\'.
bool cookie_safe(char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view s) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out.data());
    return out;
}

}  // namespace

std::string read_token_file(const std::filesystem::path& path) {
    const std::string shown = path.string();
    std::string why;
    auto file = engine::open_regular_file(path, max_token_file_bytes, why, engine::Links::follow);
    if (file && (file->mode() & (S_IRWXG | S_IRWXO)) != 0)
        throw std::runtime_error(shown + ": the token file can be read by others; run chmod 600 " +
                                 shown);
    std::optional<std::string> text;
    if (file) text = engine::read_all(*file, max_token_file_bytes, why);
    if (!text) throw std::runtime_error(shown + ": the token file " + why);
    const std::string_view token = trim(*text);
    if (token.empty()) throw std::runtime_error(shown + ": the token file is empty");
    for (char c : token) {
        if (c == '\n' || c == '\r')
            throw std::runtime_error(shown + ": the token file holds more than one line");
        if (!cookie_safe(c))
            throw std::runtime_error(
                shown +
                ": the token holds a character other than printable ASCII (space, '\"', ',', "
                "';' and '\\' are not allowed either)");
    }
    if (token.size() < min_token_length)
        throw std::runtime_error(shown + ": the token is shorter than " +
                                 std::to_string(min_token_length) + " characters");
    return std::string(token);
}

bool token_matches(std::string_view given, std::string_view expected) {
    const auto a = digest(given);
    const auto b = digest(expected);
    const bool same = CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
    return same && !expected.empty();
}

std::string_view token_in_request(std::string_view authorization, std::string_view cookie) {
    const std::string_view auth = trim(authorization);
    constexpr std::string_view scheme = "bearer ";
    if (auth.size() > scheme.size() && engine::istarts_with(auth, scheme)) {
        const std::string_view token = trim(auth.substr(scheme.size()));
        if (!token.empty()) return token;
    }
    while (!cookie.empty()) {
        const auto semicolon = cookie.find(';');
        const std::string_view pair = trim(cookie.substr(0, semicolon));
        cookie =
            semicolon == std::string_view::npos ? std::string_view{} : cookie.substr(semicolon + 1);
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos) continue;
        if (trim(pair.substr(0, equals)) != token_cookie_name) continue;
        std::string_view value = trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        if (!value.empty()) return value;
    }
    return {};
}

}  // namespace rcbatch::serve
