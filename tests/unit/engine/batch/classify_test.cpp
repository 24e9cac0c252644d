#include "engine/batch/classify.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace classify_test {

using namespace rcbatch::engine;
using Kind = ReplyVerdict::Kind;

namespace {
struct Row {
    Transport transport;
    int status;
    Kind kind;
    bool retryable_message;
    Outcome expected;
};

std::string name(Transport t) {
    switch (t) {
        case Transport::complete:
            return "complete";
        case Transport::not_sent:
            return "not_sent";
        case Transport::closed_before_reply:
            return "closed_before_reply";
        case Transport::timeout_after_send:
            return "timeout_after_send";
        case Transport::truncated:
            return "truncated";
    }
    return "?";
}
}  // namespace

TEST_SUITE("classify") {
    TEST_CASE("the transport, then the status, then the verdict decide") {
        const std::vector<Row> rows{
            // Transport failures win over anything the (absent) body says.
            {Transport::not_sent, 0, Kind::unreadable, false, Outcome::transient},
            {Transport::not_sent, 0, Kind::ok, false, Outcome::transient},
            {Transport::closed_before_reply, 0, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::timeout_after_send, 0, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::timeout_after_send, 200, Kind::ok, false, Outcome::ambiguous},
            {Transport::truncated, 200, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::truncated, 500, Kind::fatal, false, Outcome::ambiguous},
            // Statuses that mean "refused" or "a gateway answered", whatever the body.
            {Transport::complete, 429, Kind::unreadable, false, Outcome::transient},
            {Transport::complete, 429, Kind::api_error, false, Outcome::transient},
            {Transport::complete, 503, Kind::unreadable, false, Outcome::transient},
            {Transport::complete, 503, Kind::ok, false, Outcome::transient},
            {Transport::complete, 502, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::complete, 504, Kind::ok, false, Outcome::ambiguous},
            {Transport::complete, 502, Kind::fatal, false, Outcome::ambiguous},
            // The verdict, at any other status.
            {Transport::complete, 200, Kind::ok, false, Outcome::ok},
            {Transport::complete, 500, Kind::api_error, false, Outcome::api_error},
            {Transport::complete, 200, Kind::api_error, false, Outcome::api_error},
            {Transport::complete, 500, Kind::api_error, true, Outcome::transient},
            {Transport::complete, 500, Kind::fatal, false, Outcome::fatal},
            {Transport::complete, 401, Kind::fatal, false, Outcome::fatal},
            {Transport::complete, 200, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::complete, 500, Kind::unreadable, false, Outcome::ambiguous},
            {Transport::complete, 404, Kind::unreadable, false, Outcome::ambiguous},
        };
        for (const Row& row : rows) {
            HttpExchange x;
            x.transport = row.transport;
            x.status = row.status;
            ReplyVerdict v;
            v.kind = row.kind;
            v.retryable_message = row.retryable_message;
            const std::string transport = name(row.transport);
            const int kind = static_cast<int>(row.kind);
            CAPTURE(transport);
            CAPTURE(row.status);
            CAPTURE(kind);
            CAPTURE(row.retryable_message);
            CHECK(to_string(classify(x, v)) == to_string(row.expected));
        }
    }

    TEST_CASE("a certificate that fails verification stops the run: no retry can fix it") {
        HttpExchange x;
        x.transport = Transport::not_sent;
        x.stops_run = true;
        CHECK(classify(x, ReplyVerdict{}) == Outcome::fatal);
    }
}

}  // namespace classify_test
