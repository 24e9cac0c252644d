#pragma once
// The defaults more than one layer starts from, each written once: the settings structs of
// config/, cli/, engine/ and jobs/ take their initial values from here, so a profile or job
// that says nothing gets the same value whichever struct carries it.

#include <chrono>

namespace rcbatch::defaults {

using namespace std::chrono_literals;

// Requests in flight at once (pooled connections), and requests a second over all workers.
inline constexpr int concurrency = 8;
inline constexpr double rate = 10.0;
// One attempt, from connecting to the reply's last byte (the job's [run] timeout).
inline constexpr std::chrono::milliseconds attempt_timeout = 30s;
// No second change to one order within this window, across runs and actors (repeat-guard).
inline constexpr std::chrono::hours repeat_guard = 24h;
// A lost answer's wait before the last look at the evidence (reconcile-settle).
inline constexpr std::chrono::milliseconds reconcile_settle = 10s;
// An action this much before the intent, on the server's clock, still counts as its evidence:
// the clock is read from the replies' Date headers, to within a second or two.
inline constexpr std::chrono::seconds clock_skew = 5s;
// The age, at most, of the look at the account's actions when a change leaves
// (action-scan-max-age).
inline constexpr std::chrono::seconds action_scan_max_age = 60s;
// Orders read in one search before their changes (batch-read-size), and the age at most of
// such a read when its change is judged (batch-read-max-age).
inline constexpr std::int64_t batch_read_size = 200;
inline constexpr std::chrono::seconds batch_read_max_age = 60s;

}  // namespace rcbatch::defaults
