// The one rule of request_rules.hpp that reads Beast's errors, apart so that the other rules
// compile without Beast or Asio (the fuzz build, fuzz/fuzz_request_rules.cpp).
#include "serve/http/request_rules.hpp"

#include <boost/beast/http/error.hpp>

namespace rcbatch::serve {

namespace http = boost::beast::http;

std::optional<ServerAnswer> answer_to_read_error(const boost::system::error_code& ec,
                                                 std::string_view unparsed) {
    if (ec == http::error::header_limit) {
        if (unparsed.find('\n') == std::string_view::npos)
            return refusal(414, "URI too long", true);
        return refusal(431, "Request header too large", true);
    }
    if (ec == http::error::body_limit) return refusal(413, "Request body too large", true);
    if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
        return refusal(400, "Bad request", true);
    return std::nullopt;
}

}  // namespace rcbatch::serve
