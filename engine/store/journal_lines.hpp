#pragma once
// Every kind of line in journal.jsonl, built and recognised here and nowhere else (the file is
// written by engine/store/journal.hpp and read by journal_scan.hpp; DESIGN.md "Journal, resume
// and locking"). One JSON object a line, its kind in "type":
//   run     the header, first: the caller's fields (job, action, params, targets, ...)
//   resume  a resumed session starts: at, pid
//   intent  a mutating request may leave (on disk before it does): seq, attempt, the caller's
//           members (order, at, state, ...)
//   result  an order's record (result_record.hpp's to_json) and its retries
//   settle  a later verdict from the evidence (rcbatch settle) that replaces the order's result;
//           "intent" when it reopens the order
// A line with another or no "type" is kept by readers as `other` and passed over.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

enum class JournalLine { run, resume, intent, result, settle, other };

std::string_view to_string(JournalLine kind) noexcept;

// The kind of a line read back; `other` when it has no "type" or one not listed above.
JournalLine journal_line_kind(const boost::json::object& line) noexcept;

// Whether `text` can be a result or settle line, without parsing it: false means it is not.
bool may_be_result_line(std::string_view text) noexcept;

// The order a line is about ("seq", a non-negative whole number), or nullopt.
std::optional<std::uint64_t> journal_line_seq(const boost::json::object& line) noexcept;

// The header's count of targets, or nullopt when it has none.
std::optional<std::uint64_t> journal_header_targets(const boost::json::object& header) noexcept;

// {"type":"run", the members of `fields` (its "targets" a count of the run's orders)}.
boost::json::object journal_run_line(const boost::json::object& fields);

// {"type":"resume","at","pid"}: this process's pid.
boost::json::object journal_resume_line(std::chrono::system_clock::time_point at);

// {"type":"intent","seq","attempt", then `members_json` (the members of a JSON object without
// its braces; may be empty)}.
std::string journal_intent_line(std::uint64_t seq, int attempt, std::string_view members_json);

// {"type":"result", the members of the record `record_json` (one serialized object), "retries"}.
// Built from the text, so a record is serialized once.
std::string journal_result_line(std::string_view record_json, int retries);

// {"type":"settle", the record's members, "retries"}, and "intent" (an intent line's object, as
// JSON text) when the verdict reopens the order.
std::string journal_settle_line(std::string_view record_json, int retries,
                                std::string_view intent_json);

// The intent a settle line that reopened its order carries, or nullptr.
boost::json::object* reopened_intent(boost::json::object& settle_line) noexcept;

}  // namespace rcbatch::engine
