#pragma once
// What a reply body says, as read by the API-aware normaliser in jobs/. The engine's
// classification combines it with the transport and HTTP status into an Outcome.

#include <boost/json/value.hpp>

#include <string>

namespace rcbatch::engine {

struct ReplyVerdict {
    enum class Kind {
        ok,          // a success body; `value` holds it (object, number, bool or string)
        api_error,   // an error body: `message` holds the API's text
        fatal,       // bad credentials / IP not whitelisted: stop the run
        unreadable,  // empty, HTML, truncated or otherwise not an API answer
    };
    Kind kind = Kind::unreadable;
    std::string message;  // trimmed, untrusted server text
    boost::json::value value;
    bool retryable_message = false;  // an API error whose text is on the transient list
};

}  // namespace rcbatch::engine
