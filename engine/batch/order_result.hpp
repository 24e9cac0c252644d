#pragma once
// One record of a batch: what happened to one order. Streamed to the report writers.

#include "engine/outcome.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace rcbatch::engine {

struct OrderResult {
    std::uint64_t seq = 0;  // position in the batch, from 0
    std::string target;     // as the user gave it (id, domain name, file line)
    std::string order_id;   // resolved order id; empty when there is none
    std::string action;     // "backup.renew"
    Outcome outcome = Outcome::not_run;
    int http_status = 0;         // of the last attempt; 0 when none was read
    std::string message;         // the API's or the transport's message, trimmed
    boost::json::object fields;  // useful reply fields (new end time, eaqid, invoice id, ...)
    int attempts = 0;            // requests sent for this order, all its calls together
    int retries = 0;             // of which repeats of a failed attempt
    bool reconciled = false;     // the outcome was decided by reading the order again
    std::string retry_stop;  // why a failed order's last call was not tried again ("" otherwise)
    std::chrono::milliseconds latency{0};  // first attempt start to last attempt end
    std::chrono::system_clock::time_point started{};
    std::chrono::system_clock::time_point finished{};
};

}  // namespace rcbatch::engine
