#include "serve/http/tls_setup.hpp"

#include "engine/secret/private_memory.hpp"
#include "engine/store/regular_file.hpp"

#include <boost/asio/buffer.hpp>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <limits>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>

namespace rcbatch::serve {

namespace asio = boost::asio;

namespace {

std::string read_pem(const std::filesystem::path& path, std::uint64_t cap, std::string_view what) {
    std::string why;
    auto text = engine::read_regular_file(path, cap, why, engine::Links::follow);
    if (!text) throw std::runtime_error(path.string() + ": the " + std::string(what) + " " + why);
    return std::move(*text);
}

// The private key, read only when others (not its group: Debian's ssl-cert keys are 0640)
// can neither read nor write it.
std::string read_key(const std::filesystem::path& path) {
    const std::string shown = path.string();
    std::string why;
    auto file =
        engine::open_regular_file(path, engine::max_key_file_bytes, why, engine::Links::follow);
    if (file && (file->mode() & S_IRWXO) != 0)
        throw std::runtime_error(shown + ": the TLS key can be read by others; run chmod 600 " +
                                 shown + " (or 640 with a group of its readers)");
    std::optional<std::string> text;
    if (file) text = engine::read_all(*file, engine::max_key_file_bytes, why);
    if (!text) throw std::runtime_error(shown + ": the key file " + why);
    return std::move(*text);
}

// An encrypted key is refused, never asked for on the terminal.
int no_passphrase(char*, int, int, void*) { return 0; }

}  // namespace

asio::ssl::context make_tls_context(const TlsFiles& files) {
    asio::ssl::context context(asio::ssl::context::tls_server);
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("TLS: OpenSSL refuses TLS 1.2 as the minimum version");

    const std::string cert = read_pem(files.cert, engine::max_ca_file_bytes, "certificate file");
    boost::system::error_code ec;
    context.use_certificate_chain(asio::buffer(cert), ec);
    if (ec)
        throw std::runtime_error(files.cert.string() + ": not a PEM certificate chain (" +
                                 ec.message() + ")");

    engine::WipedString key(read_key(files.key));
    const auto bad_key = [&] {
        return std::runtime_error(files.key.string() +
                                  ": not a PEM private key (or one with a passphrase)");
    };
    if (key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) throw bad_key();
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(key.data(), static_cast<int>(key.size())), &BIO_free);
    if (!bio) throw bad_key();
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr), &EVP_PKEY_free);
    ERR_clear_error();
    if (!pkey) throw bad_key();
    if (SSL_CTX_use_PrivateKey(context.native_handle(), pkey.get()) != 1 ||
        SSL_CTX_check_private_key(context.native_handle()) != 1) {
        ERR_clear_error();
        throw std::runtime_error(files.key.string() +
                                 ": the private key does not match the certificate in " +
                                 files.cert.string());
    }
    return context;
}

}  // namespace rcbatch::serve
