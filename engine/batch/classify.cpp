#include "engine/batch/classify.hpp"

namespace rcbatch::engine {

Outcome classify(const HttpExchange& exchange, const ReplyVerdict& verdict) noexcept {
    switch (exchange.transport) {
        case Transport::not_sent:
            return exchange.stops_run ? Outcome::fatal : Outcome::transient;
        case Transport::closed_before_reply:
        case Transport::timeout_after_send:
        case Transport::truncated:
            return Outcome::ambiguous;
        case Transport::complete:
            break;
    }
    switch (exchange.status) {
        case 429:  // too many requests: refused, not processed
        case 503:  // service unavailable: refused, not processed
            return Outcome::transient;
        case 502:  // a gateway answered: the origin may have processed it
        case 504:
            return Outcome::ambiguous;
        default:
            break;
    }
    switch (verdict.kind) {
        case ReplyVerdict::Kind::ok:
            return Outcome::ok;
        case ReplyVerdict::Kind::api_error:
            return verdict.retryable_message ? Outcome::transient : Outcome::api_error;
        case ReplyVerdict::Kind::fatal:
            return Outcome::fatal;
        case ReplyVerdict::Kind::unreadable:
            return Outcome::ambiguous;
    }
    return Outcome::ambiguous;
}

}  // namespace rcbatch::engine
