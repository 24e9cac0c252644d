#pragma once
// The one error vocabulary of rcbatch: how an attempt or an order ended, and what that
// means for the exit code. Everything else (reports, retries, summaries) maps from here.

#include <array>
#include <optional>
#include <string_view>

namespace rcbatch::engine {

enum class Outcome {
    ok = 1,     // the API did what was asked
    api_error,  // the API answered with an error: permanent for this order
    transient,  // nothing reached the server, or it refused to process (connect/TLS, 429, 503)
    ambiguous,  // the request may have been processed (timeout/reset after send, 502/504, bad body)
    fatal,      // bad credentials or IP not whitelisted: stop the whole run
    unknown,    // final state of an ambiguous mutating request nobody could reconcile
    skipped,    // preflight decided there is nothing to do
    not_run,    // the run stopped before this order was tried
    cancelled,  // in flight when the run was interrupted
};

// Every outcome, in the order summaries and reports list them: ok first, then the failures.
inline constexpr std::array outcomes_in_report_order{
    Outcome::ok,      Outcome::api_error, Outcome::transient, Outcome::ambiguous, Outcome::fatal,
    Outcome::unknown, Outcome::skipped,   Outcome::not_run,   Outcome::cancelled};

// Whether an order that ended so is done with: a resumed run does not run it again. Every
// outcome but not_run, cancelled and fatal (the run stopped before the order was decided).
bool is_final(Outcome o) noexcept;

// "ok", "api_error", ... as written in reports.
std::string_view to_string(Outcome o) noexcept;
// The inverse of to_string; nullopt for any other text.
std::optional<Outcome> outcome_from_string(std::string_view s) noexcept;

// Whether an order that ended with `o` counts as failed for the exit code (1).
bool is_failure(Outcome o) noexcept;

// Exit codes of DESIGN.md.
enum class ExitCode : int {
    ok = 0,             // every order ok or skipped
    orders_failed = 1,  // some orders failed or are unknown
    bad_input = 2,      // bad job, profile or arguments
    aborted = 3,        // fatal error or interrupted: resumable
    locked = 4,         // another run holds the job's lock
};

}  // namespace rcbatch::engine
