#pragma once
// `rcbatch serve` as a child process for end-to-end tests: started on 127.0.0.1 port 0 (or the
// arguments given), its address read from the one line it prints on stdout under a deadline;
// killed and reaped with the ChildProcess in every path.

#include "tests/support/child_process.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::test {

struct ServeChild {
    std::unique_ptr<ChildProcess> process;
    std::string url;  // "http://127.0.0.1:PORT" (no trailing '/')
    unsigned short port = 0;
};

inline ServeChild start_serve(const std::map<std::string, std::string>& env,
                              std::vector<std::string> args = {"--listen", "127.0.0.1:0"}) {
    args.insert(args.begin(), "serve");
    ServeChild serve;
    serve.process = std::make_unique<ChildProcess>(rcbatch_binary(), args, env);
    const auto line = serve.process->read_line(std::chrono::seconds(30));
    CAPTURE(serve.process->err());
    REQUIRE(line);
    const auto scheme = line->find("://");
    const auto end = line->find("/ (read-only");
    REQUIRE(scheme != std::string::npos);
    REQUIRE(end != std::string::npos);
    const std::string host_port = line->substr(scheme + 3, end - scheme - 3);
    serve.url =
        line->substr(line->rfind(' ', scheme) + 1, scheme + 3 - line->rfind(' ', scheme) - 1) +
        host_port;
    serve.port = static_cast<unsigned short>(std::stoi(host_port.substr(host_port.rfind(':') + 1)));
    return serve;
}

}  // namespace rcbatch::test
