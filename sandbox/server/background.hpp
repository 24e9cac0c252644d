#pragma once
// The sandbox on its own io_context and thread, for a process whose client runs on another
// io_context (rcbatch run --sandbox, benchmarks).

#include "sandbox/server/options.hpp"
#include "sandbox/server/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

namespace rcbatch::sandbox {

class BackgroundSandbox {
  public:
    // Binds and starts serving; returns when the port is listening. Throws as Server does.
    explicit BackgroundSandbox(Options options);
    ~BackgroundSandbox();  // stop()
    BackgroundSandbox(const BackgroundSandbox&) = delete;
    BackgroundSandbox& operator=(const BackgroundSandbox&) = delete;

    // Fixed at start-up; safe from any thread.
    std::uint16_t port() const { return port_; }
    std::string url() const { return url_; }
    const std::string& ca_pem() const { return ca_pem_; }
    void write_ca(const std::string& path) const;
    const std::string& userid() const { return userid_; }
    const std::string& api_key() const { return api_key_; }

    // Runs f(Server&) on the sandbox's thread and returns its result (counters, order
    // state, reset). Must not be called after stop().
    template <class F>
    auto call(F f) -> std::invoke_result_t<F, Server&> {
        using R = std::invoke_result_t<F, Server&>;
        std::packaged_task<R()> task([&] { return f(*server_); });
        auto result = task.get_future();
        boost::asio::post(ioc_, [&task] { task(); });
        return result.get();
    }

    // Stops the server, lets its connections close, joins the thread. Idempotent.
    void stop();

  private:
    boost::asio::io_context ioc_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::string url_, ca_pem_, userid_, api_key_;
};

}  // namespace rcbatch::sandbox
