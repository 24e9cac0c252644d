#include "sandbox/server/background.hpp"

#include "engine/store/atomic_file.hpp"

#include <fstream>
#include <stdexcept>

namespace rcbatch::sandbox {

BackgroundSandbox::BackgroundSandbox(Options options)
    : server_(std::make_unique<Server>(ioc_, std::move(options))),
      port_(server_->port()),
      url_(server_->url()),
      ca_pem_(server_->ca_pem()),
      userid_(server_->userid()),
      api_key_(server_->api_key()) {
    // The acceptor listens already; the thread only runs what the server started.
    thread_ = std::thread([this] { ioc_.run(); });
}

BackgroundSandbox::~BackgroundSandbox() { stop(); }

void BackgroundSandbox::write_ca(const std::string& path) const {
    // Through the one atomic-file primitive: never written through a link or over a device.
    try {
        engine::write_file_atomically(path, ca_pem_, 0644, engine::Durability::process_crash);
    } catch (const engine::FileError& e) {
        throw std::runtime_error("sandbox: cannot write the CA certificate: " +
                                 std::string(e.what()));
    }
}

void BackgroundSandbox::stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(ioc_, [this] { server_->stop(); });
    thread_.join();
}

}  // namespace rcbatch::sandbox
