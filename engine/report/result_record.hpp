#pragma once
// One order's record as the run folder keeps it (results.jsonl, the journal's result lines),
// to JSON and back, and the UTC time stamps it uses.

#include "engine/batch/order_result.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

// "2019-10-26T13:34:52Z", or with milliseconds "2019-10-26T13:34:52.123Z".
std::string iso8601_utc(std::chrono::system_clock::time_point t, bool with_millis = false);
// The same for whole seconds, over the full range of years 0..9999 (a system_clock
// time_point counts nanoseconds and ends in 2262).
std::string iso8601_utc_seconds(std::chrono::sys_seconds t);

// iso8601_utc with milliseconds, or null for an unset time.
boost::json::value time_json(std::chrono::system_clock::time_point t);
// Reads "2019-10-26T13:34:52Z" or "2019-10-26T13:34:52.123Z" back; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);

// One record as written to results.jsonl: seq, order (null when none), target, action,
// outcome, http_status, message, fields, attempts, reconciled, latency_ms, started and
// finished (ISO-8601 UTC with milliseconds; null when unset).
boost::json::object to_json(const OrderResult& r);

// A record of to_json read back. Missing or mistyped keys stay at their defaults (an
// unreadable outcome becomes `unknown`, so a damaged record is never taken for `ok`); also
// reads "retries", which the journal's result lines add.
OrderResult from_json(const boost::json::object& o);

}  // namespace rcbatch::engine
