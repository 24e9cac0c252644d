#include "engine/outcome.hpp"

#include <array>
#include <string>

namespace rcbatch::engine {

namespace {
constexpr std::array<std::pair<Outcome, std::string_view>, 9> names{{
    {Outcome::ok, "ok"},
    {Outcome::api_error, "api_error"},
    {Outcome::transient, "transient"},
    {Outcome::ambiguous, "ambiguous"},
    {Outcome::fatal, "fatal"},
    {Outcome::unknown, "unknown"},
    {Outcome::skipped, "skipped"},
    {Outcome::not_run, "not_run"},
    {Outcome::cancelled, "cancelled"},
}};

}  // namespace

bool is_final(Outcome o) noexcept {
    return o != Outcome::not_run && o != Outcome::cancelled && o != Outcome::fatal;
}

std::string_view to_string(Outcome o) noexcept {
    for (const auto& [value, name] : names)
        if (value == o) return name;
    return "invalid";
}

std::optional<Outcome> outcome_from_string(std::string_view s) noexcept {
    for (const auto& [value, name] : names)
        if (name == s) return value;
    return std::nullopt;
}

bool is_failure(Outcome o) noexcept {
    switch (o) {
        case Outcome::ok:
        case Outcome::skipped:
            return false;
        case Outcome::api_error:
        case Outcome::transient:
        case Outcome::ambiguous:
        case Outcome::fatal:
        case Outcome::unknown:
        case Outcome::not_run:
        case Outcome::cancelled:
            return true;
    }
    return true;
}

}  // namespace rcbatch::engine
