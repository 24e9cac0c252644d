#include "engine/net/tls_context.hpp"

#include "engine/net/handshake_gate.hpp"
#include "engine/net/tls_session_cache.hpp"
#include "engine/store/regular_file.hpp"

#include <boost/asio/buffer.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>

namespace rcbatch::engine {

namespace ssl = boost::asio::ssl;

namespace {

// The CA file through the checked open every input file takes: a FIFO, a device or a file
// over the cap is refused by name, never read without bound or waited on.
std::string read_file(const std::string& path) {
    std::string error;
    auto text = read_regular_file(path, max_ca_file_bytes, error);
    if (!text) throw std::runtime_error("cannot read CA file " + path + ": it " + error);
    return *text;
}

void add_ca(ssl::context& ctx, const std::string& pem, const std::string& what) {
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw std::runtime_error(what + " holds no PEM certificate");
    boost::system::error_code ec;
    ctx.add_certificate_authority(boost::asio::buffer(pem), ec);
    if (ec) throw std::runtime_error(what + " is not a valid PEM certificate: " + ec.message());
}

// The system's trusted CAs, read when a verification first looks for an issuer the context
// does not already hold. SSL_CTX_set_default_verify_paths parses the whole system bundle
// (~140 certificates on Debian: ~70 ms and ~1 MB at every start) even for a run whose
// profile names its own CA, which then never needs it. The lookup reads the same default
// paths (SSL_CERT_FILE / SSL_CERT_DIR honoured) into a private store on first use, and
// copies what matches a name into the context's store, as OpenSSL's own file/dir lookups do.
class LazySystemCas {
  public:
    ~LazySystemCas() {
        if (store_ != nullptr) X509_STORE_free(store_);
    }
    // Null when the default paths could not be set up at all.
    X509_STORE* store() {
        std::call_once(once_, [this] {
            X509_STORE* s = X509_STORE_new();
            if (s != nullptr && X509_STORE_set_default_paths(s) != 1) {
                X509_STORE_free(s);
                s = nullptr;
            }
            store_ = s;
        });
        return store_;
    }

  private:
    std::once_flag once_;
    X509_STORE* store_ = nullptr;
};

int lazy_get_by_subject(X509_LOOKUP* lookup, X509_LOOKUP_TYPE type, const X509_NAME* name,
                        X509_OBJECT* ret) {
    auto* cas = static_cast<LazySystemCas*>(X509_LOOKUP_get_method_data(lookup));
    X509_STORE* system = cas != nullptr ? cas->store() : nullptr;
    X509_STORE* into = X509_LOOKUP_get_store(lookup);
    if (system == nullptr || into == nullptr) return 0;
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    if (ctx == nullptr) return 0;
    int found = 0;
    if (X509_STORE_CTX_init(ctx, system, nullptr, nullptr) == 1) {
        if (type == X509_LU_X509) {
            STACK_OF(X509)* certs = X509_STORE_CTX_get1_certs(ctx, name);
            for (int i = 0; certs != nullptr && i < sk_X509_num(certs); ++i)
                X509_STORE_add_cert(into, sk_X509_value(certs, i));
            sk_X509_pop_free(certs, X509_free);
        } else if (type == X509_LU_CRL) {
            STACK_OF(X509_CRL)* crls = X509_STORE_CTX_get1_crls(ctx, name);
            for (int i = 0; crls != nullptr && i < sk_X509_CRL_num(crls); ++i)
                X509_STORE_add_crl(into, sk_X509_CRL_value(crls, i));
            sk_X509_CRL_pop_free(crls, X509_CRL_free);
        }
    }
    X509_STORE_CTX_free(ctx);
    // `ret` must point at the object the context's store now holds without a reference of
    // its own (the caller takes one), as OpenSSL's own directory lookup does: take one and
    // give it back, so a reference never leaks.
    if (X509_STORE_lock(into) != 1) return 0;
    X509_OBJECT* held = X509_OBJECT_retrieve_by_subject(X509_STORE_get0_objects(into), type, name);
    if (held != nullptr) {
        if (X509* cert = X509_OBJECT_get0_X509(held)) {
            found = X509_OBJECT_set1_X509(ret, cert);
            if (found) X509_free(cert);
        } else if (X509_CRL* crl = X509_OBJECT_get0_X509_CRL(held)) {
            found = X509_OBJECT_set1_X509_CRL(ret, crl);
            if (found) X509_CRL_free(crl);
        }
    }
    X509_STORE_unlock(into);
    return found;
}

void lazy_free(X509_LOOKUP* lookup) {
    delete static_cast<LazySystemCas*>(X509_LOOKUP_get_method_data(lookup));
}

// Made once, never freed: every context's lookup refers to it.
X509_LOOKUP_METHOD* lazy_system_ca_method() {
    static X509_LOOKUP_METHOD* method = [] {
        X509_LOOKUP_METHOD* m = X509_LOOKUP_meth_new("rcbatch lazy system CAs");
        if (m == nullptr || X509_LOOKUP_meth_set_get_by_subject(m, lazy_get_by_subject) != 1 ||
            X509_LOOKUP_meth_set_free(m, lazy_free) != 1)
            throw std::runtime_error("cannot set up the system CA lookup");
        return m;
    }();
    return method;
}

void add_system_cas(ssl::context& ctx) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx.native_handle());
    X509_LOOKUP* lookup =
        store != nullptr ? X509_STORE_add_lookup(store, lazy_system_ca_method()) : nullptr;
    if (lookup == nullptr) throw std::runtime_error("cannot load the system CA paths");
    if (X509_LOOKUP_get_method_data(lookup) == nullptr) {
        auto* cas = new LazySystemCas();
        if (X509_LOOKUP_set_method_data(lookup, cas) != 1) {
            delete cas;
            throw std::runtime_error("cannot load the system CA paths");
        }
    }
}

}  // namespace

ssl::context make_client_tls_context(const TlsSettings& settings) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_compression);
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("cannot set the TLS 1.2 minimum");
    ctx.set_verify_mode(ssl::verify_peer);
    // One session cache for every connection made with this context (tls_session_cache.hpp).
    TlsSessionCache::install(ctx.native_handle());
    HandshakeGate::install(ctx.native_handle(), settings.connecting_at_once);
    if (settings.system_ca) add_system_cas(ctx);
    if (!settings.ca_file.empty())
        add_ca(ctx, read_file(settings.ca_file), "CA file " + settings.ca_file);
    if (!settings.ca_pem.empty()) add_ca(ctx, settings.ca_pem, "the CA certificate text");
    return ctx;
}

}  // namespace rcbatch::engine
