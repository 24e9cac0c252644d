#include "sandbox/server/certificate.hpp"

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace certificate_test {

namespace {

struct X509Free {
    void operator()(X509* p) const noexcept { X509_free(p); }
};
struct KeyFree {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Cert read_cert(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                  &BIO_free);
    return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

Key read_key(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                  &BIO_free);
    return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// X509_V_OK when `leaf` chains to `ca` for TLS server use and names `host`.
int verify(X509* ca, X509* leaf, const char* host) {
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                  &X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca);
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                        &X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    if (host != nullptr) X509_VERIFY_PARAM_set1_host(param, host, 0);
    if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
    return X509_STORE_CTX_get_error(ctx.get());
}

}  // namespace

TEST_SUITE("sandbox certificate") {
    TEST_CASE("the server certificate verifies against the CA and names localhost") {
        const auto pki = rcbatch::sandbox::make_pki();
        Cert ca = read_cert(pki.ca_pem);
        Cert leaf = read_cert(pki.server_cert_pem);
        Key key = read_key(pki.server_key_pem);
        REQUIRE(ca);
        REQUIRE(leaf);
        REQUIRE(key);

        CHECK(X509_check_ca(ca.get()) >= 1);
        CHECK(X509_check_ca(leaf.get()) == 0);
        CHECK(X509_check_private_key(leaf.get(), key.get()) == 1);
        CHECK(verify(ca.get(), leaf.get(), "localhost") == X509_V_OK);
        CHECK(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr) == 1);
        CHECK(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0) == 1);
        CHECK(X509_check_host(leaf.get(), "example.com", 0, 0, nullptr) == 0);
        CHECK(X509_check_ip_asc(leaf.get(), "10.0.0.1", 0) == 0);
        CHECK(verify(ca.get(), leaf.get(), "example.com") != X509_V_OK);
    }

    TEST_CASE("each call makes a new CA that does not vouch for another's server") {
        const auto a = rcbatch::sandbox::make_pki();
        const auto b = rcbatch::sandbox::make_pki();
        CHECK(a.ca_pem != b.ca_pem);
        CHECK(a.server_key_pem != b.server_key_pem);
        Cert ca_a = read_cert(a.ca_pem);
        Cert leaf_b = read_cert(b.server_cert_pem);
        REQUIRE(ca_a);
        REQUIRE(leaf_b);
        CHECK(verify(ca_a.get(), leaf_b.get(), "localhost") != X509_V_OK);
    }
}

}  // namespace certificate_test
