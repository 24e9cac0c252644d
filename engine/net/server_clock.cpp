#include "engine/net/server_clock.hpp"

#include "engine/batch/retry_policy.hpp"

namespace rcbatch::engine {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

void ServerClock::observe(std::string_view date_header, SystemTime local) noexcept {
    const auto date = parse_http_date(date_header);
    if (!date) return;
    // A Date is the second the server wrote the reply, truncated: the middle of that second
    // is the best guess, so the estimate is off by at most half a second plus the reply's trip.
    const auto server = *date + milliseconds(500);
    offset_ = duration_cast<milliseconds>(server - local);
    ++readings_;
}

std::optional<std::int64_t> ServerClock::unix_at(SystemTime local) const noexcept {
    if (!offset_) return std::nullopt;
    return unix_seconds(local + *offset_);
}

std::int64_t ServerClock::unix_or_local(SystemTime local) const noexcept {
    if (auto t = unix_at(local)) return *t;
    return unix_seconds(local);
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
    return duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t local_unix_now() noexcept { return unix_seconds(std::chrono::system_clock::now()); }

}  // namespace rcbatch::engine
