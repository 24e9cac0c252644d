#include "engine/tls_context.hpp"

#include <boost/asio/buffer.hpp>

#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace rcbatch::engine {

namespace ssl = boost::asio::ssl;

namespace {

std::string read_file(const std::string& path) {
    std::error_code fs_ec;
    if (std::filesystem::is_directory(path, fs_ec))
        throw std::runtime_error("cannot read CA file " + path + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw std::runtime_error("cannot read CA file " + path + ": " +
                                 (err ? std::strerror(err) : "open failed"));
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw std::runtime_error("cannot read CA file " + path);
    return text;
}

void add_ca(ssl::context& ctx, const std::string& pem, const std::string& what) {
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw std::runtime_error(what + " holds no PEM certificate");
    boost::system::error_code ec;
    ctx.add_certificate_authority(boost::asio::buffer(pem), ec);
    if (ec) throw std::runtime_error(what + " is not a valid PEM certificate: " + ec.message());
}

}  // namespace

ssl::context make_client_tls_context(const TlsSettings& settings) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_compression);
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("cannot set the TLS 1.2 minimum");
    ctx.set_verify_mode(ssl::verify_peer);
    // Each HttpsSession keeps a copy of the TLS session it resumes: no shared store.
    SSL_CTX_set_session_cache_mode(ctx.native_handle(),
                                   SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    if (settings.system_ca) {
        boost::system::error_code ec;
        ctx.set_default_verify_paths(ec);
        if (ec) throw std::runtime_error("cannot load the system CA paths: " + ec.message());
    }
    if (!settings.ca_file.empty())
        add_ca(ctx, read_file(settings.ca_file), "CA file " + settings.ca_file);
    if (!settings.ca_pem.empty()) add_ca(ctx, settings.ca_pem, "the CA certificate text");
    return ctx;
}

}  // namespace rcbatch::engine
