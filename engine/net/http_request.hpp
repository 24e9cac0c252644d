#pragma once
// One HTTP request as the engine sends it, and what came back. The engine knows nothing
// of the API: jobs/ builds the request and reads the reply (see reply_verdict.hpp).

#include <chrono>
#include <string>

namespace rcbatch::engine {

// The methods the API is called with (a plain enum: headers that carry a request need no Beast).
enum class HttpMethod { get, post };

struct HttpRequest {
    HttpMethod method = HttpMethod::get;
    std::string target;  // path and query, already encoded: "/api/x.json?a=1"
    std::string body;    // application/x-www-form-urlencoded when not empty
    bool mutating = false;
};

// How the transport ended, in the terms that decide whether a retry is safe.
enum class Transport {
    complete,             // a whole response was read
    not_sent,             // connect, TLS or write failed before any byte of the request left
    closed_before_reply,  // the request left, then the connection closed with no reply byte
    timeout_after_send,   // the request left, the deadline passed
    truncated,            // a reply started but ended early or was malformed
};

struct HttpExchange {
    Transport transport = Transport::not_sent;
    int status = 0;           // HTTP status when a response header was read
    std::string retry_after;  // the Retry-After header, raw
    std::string content_type;
    std::string date;  // the Date header, raw: the server's clock (server_clock.hpp)
    std::string body;
    std::string error;  // what the transport failure was, for logs
    // No retry and no other order can succeed, so the run stops (`not_sent` still holds:
    // nothing left): the certificate failed verification, the server offers no TLS version
    // or cipher we accept or does not speak TLS, or the proxy refused or cannot be reached.
    // `error` then says what happened and what to do, in one line.
    bool stops_run = false;
    // The request went on a connection opened for it (not a kept-alive one): a close before
    // any reply on it is the server's connection cap at work, not a fault of one request.
    bool fresh_connection = false;
    std::chrono::milliseconds elapsed{0};
};

}  // namespace rcbatch::engine
