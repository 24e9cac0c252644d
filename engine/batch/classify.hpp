#pragma once
// Outcome classification of one attempt: the transport, the HTTP status and what the
// body said (the jobs' verdict) combined into one Outcome. Pure: no I/O, no clock.

#include "engine/batch/reply_verdict.hpp"
#include "engine/net/http_request.hpp"
#include "engine/outcome.hpp"

namespace rcbatch::engine {

// DESIGN.md "Outcomes and retries". In order: a transport failure decides (not_sent is
// transient, any failure after the request left is ambiguous); then 429/503 (transient)
// and 502/504 (ambiguous) whatever the body says; then the verdict (an api_error with a
// retryable message is transient, an unreadable body is ambiguous at any status).
Outcome classify(const HttpExchange& exchange, const ReplyVerdict& verdict) noexcept;

}  // namespace rcbatch::engine
