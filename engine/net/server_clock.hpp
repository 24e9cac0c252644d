#pragma once
// The server's clock as the replies' Date headers show it, against this machine's: one estimate
// per run, so times the API records (an action's added time) can be set against times rcbatch
// took (an intent) even when this machine's clock is off by an hour. Single-threaded, like the
// run's io_context.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rcbatch::engine {

class ServerClock {
  public:
    using SystemTime = std::chrono::system_clock::time_point;

    // A reply's Date header (an HTTP-date; anything else is ignored), read at `local`. The latest
    // reading wins, so a clock that is stepped during the run is followed.
    void observe(std::string_view date_header, SystemTime local) noexcept;

    // Whether any reply carried a readable Date.
    bool known() const noexcept { return offset_.has_value(); }
    // The server's clock minus this machine's; nullopt while unknown.
    std::optional<std::chrono::milliseconds> offset() const noexcept { return offset_; }
    // `local` on the server's clock, in Unix seconds; nullopt while unknown.
    std::optional<std::int64_t> unix_at(SystemTime local) const noexcept;
    // The same, falling back to this machine's clock while unknown.
    std::int64_t unix_or_local(SystemTime local) const noexcept;
    std::uint64_t readings() const noexcept { return readings_; }

  private:
    std::optional<std::chrono::milliseconds> offset_;
    std::uint64_t readings_ = 0;
};

// A time point in Unix seconds (whole seconds, truncated).
std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept;
// This machine's clock now, in Unix seconds.
std::int64_t local_unix_now() noexcept;

}  // namespace rcbatch::engine
