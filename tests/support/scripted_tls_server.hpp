#pragma once
// A scripted HTTPS server on 127.0.0.1 (port 0) for the engine's integration tests: each
// request is answered by the next step of a script, or by a responder function. It runs on
// the test's io_context, so client and server share one thread and no test needs locks.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::test {

struct Step {
    enum class Kind {
        reply,       // a whole HTTP response (status, body, optional Retry-After)
        close_idle,  // a keep-alive reply, then the server closes before the next request
        drop,        // read the request, close without a reply byte
        stall,       // read the request, never answer (until the server stops)
        truncated,   // a header promising more body than is sent, then close
    };
    Kind kind = Kind::reply;
    int status = 200;
    std::string body = R"({"status":"Success"})";
    std::string retry_after;             // sent as Retry-After when not empty
    std::chrono::milliseconds delay{0};  // wait this long before answering
    bool close = false;                  // reply with Connection: close
    std::string interim;  // raw bytes before the reply: "HTTP/1.1 100 Continue\r\n\r\n"
    // Raw bytes right after the reply, in a TLS record of their own, both written before the
    // client can read either (so the client's first read may take both).
    std::string trailing;

    static Step make(Kind kind, int status = 200, std::string body = R"({"status":"Success"})") {
        Step s;
        s.kind = kind;
        s.status = status;
        s.body = std::move(body);
        return s;
    }
    static Step ok(std::string body = R"({"status":"Success"})") {
        return make(Kind::reply, 200, std::move(body));
    }
    static Step status_code(int status, std::string retry_after = {}) {
        Step s = make(Kind::reply, status, "<html>busy</html>");
        s.retry_after = std::move(retry_after);
        return s;
    }
    static Step of(Kind kind) { return make(kind); }
};

struct SeenRequest {
    std::string method;
    std::string target;
    std::string host;
    std::string user_agent;
    std::string content_type;
    std::string body;
    std::uint64_t connection = 0;  // which accepted connection carried it, from 1
};

class ScriptedTlsServer {
  public:
    // Listens on 127.0.0.1, a free port, with a fresh sandbox PKI; starts accepting at once.
    explicit ScriptedTlsServer(boost::asio::io_context& ioc);
    ~ScriptedTlsServer();

    std::uint16_t port() const noexcept;
    const std::string& ca_pem() const noexcept;

    // Steps answer requests in order; when they run out, the responder (if set) or a
    // plain 200 answers.
    void script(std::vector<Step> steps);
    void respond_with(std::function<Step(const SeenRequest&)> responder);

    const std::vector<SeenRequest>& requests() const noexcept;
    std::uint64_t connections_accepted() const noexcept;
    std::uint64_t connections_closed() const noexcept;
    std::uint64_t handshakes_resumed() const noexcept;

    // Stops accepting and closes every connection (stalled ones included).
    void stop();

    struct State;

  private:
    std::shared_ptr<State> state_;
};

}  // namespace rcbatch::test
