#include "sandbox/server/certificate.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace rcbatch::sandbox {

namespace {

template <auto Free>
struct Deleter {
    template <class T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& step) {
    std::string msg = "sandbox certificate: " + step + " failed";
    if (unsigned long e = ERR_get_error(); e != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        msg += ": ";
        msg += buf;
    }
    ERR_clear_error();
    throw std::runtime_error(msg);
}

void check(bool ok, const char* step) {
    if (!ok) fail(step);
}

KeyPtr make_key() {
    KeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen(P-256)");
    return key;
}

NamePtr make_name(const char* common_name) {
    NamePtr name(X509_NAME_new());
    check(name != nullptr, "X509_NAME_new");
    auto add = [&](const char* field, const char* value) {
        check(X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_ASC,
                                         reinterpret_cast<const unsigned char*>(value), -1, -1,
                                         0) == 1,
              "X509_NAME_add_entry_by_txt");
    };
    add("O", "rcbatch sandbox");
    add("CN", common_name);
    return name;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

constexpr long day = 24L * 60 * 60;

// A certificate for `key` named `subject`, not yet signed; valid from `from` to `to` seconds
// from now.
CertPtr make_cert(EVP_PKEY* key, X509_NAME* subject, long from = -day, long to = 365 * day) {
    CertPtr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
    unsigned char serial_bytes[16];
    check(RAND_bytes(serial_bytes, sizeof serial_bytes) == 1, "RAND_bytes");
    serial_bytes[0] &= 0x7f;  // a positive serial number
    std::unique_ptr<BIGNUM, Deleter<BN_free>> serial(
        BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
    check(serial != nullptr, "BN_bin2bn");
    check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr,
          "BN_to_ASN1_INTEGER");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), from) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), to) != nullptr, "notAfter");
    check(X509_set_subject_name(cert.get(), subject) == 1, "X509_set_subject_name");
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    return cert;
}

std::string to_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr, "BIO_new");
    check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string to_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr, "BIO_new");
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

struct Ca {
    KeyPtr key;
    NamePtr name;
    CertPtr cert;
};

Ca make_ca(const char* common_name) {
    Ca ca{make_key(), make_name(common_name), nullptr};
    ca.cert = make_cert(ca.key.get(), ca.name.get());
    check(X509_set_issuer_name(ca.cert.get(), ca.name.get()) == 1, "X509_set_issuer_name");
    add_extension(ca.cert.get(), ca.cert.get(), NID_basic_constraints,
                  "critical,CA:TRUE,pathlen:0");
    add_extension(ca.cert.get(), ca.cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(ca.cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(ca.cert.get(), ca.key.get(), EVP_sha256()) > 0, "X509_sign(CA)");
    return ca;
}

}  // namespace

Pki make_pki(TlsMode mode) {
    ERR_clear_error();
    Ca ca = make_ca("rcbatch sandbox CA");
    std::optional<Ca> other;  // unknown_ca: the CA that signs, not published
    if (mode == TlsMode::unknown_ca) other = make_ca("rcbatch sandbox unknown CA");
    const Ca& signer = other ? *other : ca;

    const bool wrong_host = mode == TlsMode::wrong_host;
    long from = -day, to = 365 * day;
    if (mode == TlsMode::expired) from = -365 * day, to = -day;
    if (mode == TlsMode::not_yet_valid) from = 30 * day, to = 365 * day;
    KeyPtr server_key = make_key();
    NamePtr server_name = make_name(wrong_host ? "wrong-host.invalid" : "localhost");
    CertPtr server = make_cert(server_key.get(), server_name.get(), from, to);
    check(X509_set_issuer_name(server.get(), signer.name.get()) == 1, "X509_set_issuer_name");
    add_extension(server.get(), signer.cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(server.get(), signer.cert.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(server.get(), signer.cert.get(), NID_ext_key_usage, "serverAuth");
    add_extension(server.get(), signer.cert.get(), NID_subject_alt_name,
                  wrong_host ? "DNS:wrong-host.invalid" : "DNS:localhost,IP:127.0.0.1");
    add_extension(server.get(), signer.cert.get(), NID_subject_key_identifier, "hash");
    add_extension(server.get(), signer.cert.get(), NID_authority_key_identifier, "keyid:always");
    check(X509_sign(server.get(), signer.key.get(), EVP_sha256()) > 0, "X509_sign(server)");

    return Pki{to_pem(ca.cert.get()), to_pem(server.get()), to_pem(server_key.get())};
}

}  // namespace rcbatch::sandbox
