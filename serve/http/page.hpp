#pragma once
// What a page handler of `rcbatch serve` sees and answers: the server core (http_server.hpp)
// reads, checks and writes; the handler only maps a request to a response.

#include "engine/store/regular_file.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::serve {

struct PageRequest {
    std::string method;  // "GET", "HEAD" or "POST"
    std::string target;  // the raw request-target, "/run/12?x=1"
    std::string body;    // POST only
    bool tls = false;
};

struct PageResponse {
    unsigned status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    // Extra headers, e.g. Content-Disposition, Refresh, Location. The server's security headers
    // (response_headers.hpp) are set after these and win.
    std::vector<std::pair<std::string, std::string>> headers;
    // When set, the body is this file's content instead of `body`: sent in pieces cut at line
    // ends, each through engine::redact, chunked, so memory does not grow with the file.
    std::shared_ptr<engine::RegularFile> file = {};
};

// Called on the io_context's thread; may throw (the client then gets a fixed 500).
using PageHandler = std::function<PageResponse(const PageRequest&)>;

}  // namespace rcbatch::serve
