#include "engine/net/tls_failure.hpp"

#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <string>
#include <vector>

namespace tls_failure_test {

using namespace rcbatch::engine;

namespace {

TlsFailureFacts facts(long verify_error, int ssl_reason = 0) {
    TlsFailureFacts f;
    f.host = "test.httpapi.com";
    f.port = 443;
    f.verify_error = verify_error;
    f.ssl_reason = ssl_reason;
    f.error_text = "the error's own text";
    f.verify_text = verify_error == X509_V_OK ? "" : X509_verify_cert_error_string(verify_error);
    f.certificate_names = {"other.example", "10.0.0.1"};
    f.not_before = "2020-01-01 00:00:00 UTC";
    f.not_after = "2021-01-01 00:00:00 UTC";
    return f;
}

}  // namespace

TEST_SUITE("tls_failure") {
    TEST_CASE("each failure is named, and whether it stops the run") {
        struct Row {
            long verify_error;
            int ssl_reason;
            TlsFailure kind;
            bool stops_run;
            std::string says;
        };
        const std::vector<Row> rows{
            {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::unknown_ca, true, "signed by a CA this machine does not trust"},
            {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::unknown_ca, true, "profile's ca-file"},
            {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::unknown_ca, true, "TLS-inspecting proxy"},
            {X509_V_ERR_HOSTNAME_MISMATCH, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::host_mismatch, true,
             "not for test.httpapi.com (it names other.example, 10.0.0.1)"},
            {X509_V_ERR_IP_ADDRESS_MISMATCH, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::host_mismatch, true, "check the profile's endpoint"},
            {X509_V_ERR_CERT_HAS_EXPIRED, SSL_R_CERTIFICATE_VERIFY_FAILED, TlsFailure::expired,
             true, "expired on 2021-01-01 00:00:00 UTC"},
            {X509_V_ERR_CERT_NOT_YET_VALID, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::not_yet_valid, true, "not valid until 2020-01-01 00:00:00 UTC"},
            {X509_V_ERR_CERT_REVOKED, SSL_R_CERTIFICATE_VERIFY_FAILED,
             TlsFailure::certificate_other, true, "was rejected (certificate revoked)"},
            {X509_V_OK, SSL_R_UNSUPPORTED_PROTOCOL, TlsFailure::protocol_mismatch, true,
             "TLS 1.2 is the minimum"},
            {X509_V_OK, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, TlsFailure::protocol_mismatch, true,
             "no TLS version or cipher"},
            {X509_V_OK, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE, TlsFailure::protocol_mismatch, true,
             "TLS 1.2 is the minimum"},
            {X509_V_OK, SSL_R_NO_SHARED_CIPHER, TlsFailure::protocol_mismatch, true,
             "no TLS version or cipher"},
            {X509_V_OK, SSL_R_WRONG_VERSION_NUMBER, TlsFailure::not_tls, true,
             "does not speak TLS on this port"},
            {X509_V_OK, SSL_R_PACKET_LENGTH_TOO_LONG, TlsFailure::not_tls, true, "e.g. plain HTTP"},
            // A peer that goes away mid-handshake may do better next time: retried as before.
            {X509_V_OK, SSL_R_UNEXPECTED_EOF_WHILE_READING, TlsFailure::other, false,
             "the error's own text"},
            {X509_V_OK, 0, TlsFailure::other, false, "the error's own text"},
        };
        for (const auto& row : rows) {
            CAPTURE(row.verify_error);
            CAPTURE(row.ssl_reason);
            const TlsDiagnosis d = diagnose_tls_failure(facts(row.verify_error, row.ssl_reason));
            CAPTURE(d.message);
            CHECK(d.kind == row.kind);
            CHECK(d.stops_run == row.stops_run);
            CHECK(d.message.rfind("TLS handshake with test.httpapi.com: ", 0) == 0);
            CHECK(d.message.find(row.says) != std::string::npos);
            CHECK(d.message.find('\n') == std::string::npos);
        }
    }

    TEST_CASE("a port other than 443 is named; a CA certificate's failure says which") {
        TlsFailureFacts f = facts(X509_V_ERR_CERT_HAS_EXPIRED);
        f.port = 8443;
        f.verify_depth = 1;
        const auto d = diagnose_tls_failure(f);
        CHECK(d.message.rfind(
                  "TLS handshake with test.httpapi.com:8443: a certificate in the server's chain "
                  "(depth 1) expired on 2021-01-01 00:00:00 UTC",
                  0) == 0);
    }

    TEST_CASE("missing certificate details still make a message") {
        TlsFailureFacts f = facts(X509_V_ERR_HOSTNAME_MISMATCH);
        f.certificate_names.clear();
        f.not_after.clear();
        CHECK(diagnose_tls_failure(f).message.find("is not for test.httpapi.com; check") !=
              std::string::npos);
        f.verify_error = X509_V_ERR_CERT_HAS_EXPIRED;
        CHECK(diagnose_tls_failure(f).message.find("expired on an earlier date") !=
              std::string::npos);
    }

    TEST_CASE("add_certificate_facts tolerates a null certificate") {
        TlsFailureFacts f;
        add_certificate_facts(nullptr, f);
        CHECK(f.certificate_names.empty());
    }
}

}  // namespace tls_failure_test
