#pragma once
// Deterministic pseudo-random numbers for seed data and fault decisions: the same inputs
// give the same numbers on every platform (no std:: distributions, whose output varies).

#include <cstdint>
#include <string_view>

namespace rcbatch::sandbox {

// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// FNV-1a of a string, for folding names into a hash.
constexpr std::uint64_t hash_text(std::string_view s) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// Folds `v` into the running hash `h`.
constexpr std::uint64_t hash_combine(std::uint64_t h, std::uint64_t v) noexcept {
    return mix64(h ^ mix64(v));
}

// A uniform double in [0, 1) from a hash.
constexpr double unit_interval(std::uint64_t h) noexcept {
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

// SplitMix64 as a sequence generator.
class Prng {
  public:
    explicit constexpr Prng(std::uint64_t seed) noexcept : state_(seed) {}
    constexpr std::uint64_t next() noexcept {
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }
    // Uniform in [0, n); n > 0. The modulo bias is irrelevant at these sizes.
    constexpr std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }
    // Uniform in [lo, hi]; lo <= hi.
    constexpr std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    constexpr double unit() noexcept { return unit_interval(next()); }
    constexpr bool chance(double p) noexcept { return unit() < p; }

  private:
    std::uint64_t state_;
};

}  // namespace rcbatch::sandbox
