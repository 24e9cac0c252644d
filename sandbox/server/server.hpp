#pragma once
// The sandbox: an HTTPS simulator of the reseller API (../shared/api.md) on 127.0.0.1,
// with seeded state, fault injection (faults.hpp) and an admin surface under /_sandbox/
// (admin.cpp). It runs on the caller's io_context, single-threaded; every accessor below
// must be called from the thread that runs that io_context.

#include "sandbox/api/service.hpp"
#include "sandbox/server/options.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace rcbatch::sandbox {

namespace detail {
struct Core;
}

class Server {
  public:
    // Makes the certificate, binds 127.0.0.1:options.port and starts accepting once the
    // io_context runs. Throws std::runtime_error / boost::system::system_error when the
    // certificate cannot be made or the port cannot be bound.
    Server(boost::asio::io_context& ioc, Options options);
    ~Server();  // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const;
    std::string url() const;  // "https://127.0.0.1:PORT"
    const std::string& ca_pem() const;
    // Writes the CA certificate (PEM) to `path`; throws std::runtime_error on failure.
    void write_ca(const std::string& path) const;
    const std::string& userid() const;
    const std::string& api_key() const;

    // Stops accepting and closes every connection (in-flight replies and stalls are cut);
    // the io_context then runs out of work from this server. Idempotent.
    void stop();

    // Direct access for tests on the io_context's thread.
    Service& service();
    Counter counter(std::uint64_t order_id, std::string_view action) const;
    const Order* order(std::uint64_t id) const;
    const Stats& stats() const;
    void reset();

  private:
    std::shared_ptr<detail::Core> core_;
};

}  // namespace rcbatch::sandbox
