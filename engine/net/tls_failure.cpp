#include "engine/net/tls_failure.hpp"

#include <openssl/asn1.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <ctime>
#include <initializer_list>

namespace rcbatch::engine {

namespace {

bool one_of(long value, std::initializer_list<long> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

TlsFailure kind_of_verify_error(long error) {
    if (one_of(error,
               {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
                X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
                X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE}))
        return TlsFailure::unknown_ca;
    if (one_of(error, {X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH}))
        return TlsFailure::host_mismatch;
    if (error == X509_V_ERR_CERT_HAS_EXPIRED) return TlsFailure::expired;
    if (error == X509_V_ERR_CERT_NOT_YET_VALID) return TlsFailure::not_yet_valid;
    return TlsFailure::certificate_other;
}

TlsFailure kind_of_ssl_reason(int reason) {
    if (one_of(reason,
               {SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG, SSL_R_UNKNOWN_PROTOCOL}))
        return TlsFailure::not_tls;
    if (one_of(reason, {SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION,
                        SSL_R_NO_PROTOCOLS_AVAILABLE, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE,
                        SSL_R_NO_SHARED_CIPHER, SSL_R_NO_CIPHERS_AVAILABLE,
                        SSL_R_TLSV1_ALERT_INSUFFICIENT_SECURITY, SSL_R_VERSION_TOO_LOW,
                        SSL_R_WRONG_SSL_VERSION}))
        return TlsFailure::protocol_mismatch;
    return TlsFailure::other;
}

// " (it names a, b)", or nothing when the names are unknown.
std::string names_text(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? out : " (it names " + out + ")";
}

// "the server's certificate" or "a certificate in the server's chain (depth 2)".
std::string which_certificate(int depth) {
    return depth == 0 ? "the server's certificate"
                      : "a certificate in the server's chain (depth " + std::to_string(depth) + ")";
}

std::string certificate_message(TlsFailure kind, const TlsFailureFacts& f) {
    const std::string cert = which_certificate(f.verify_depth);
    switch (kind) {
        case TlsFailure::unknown_ca:
            return cert + " is signed by a CA this machine does not trust (" + f.verify_text +
                   "); if a TLS-inspecting proxy or a private CA signs it, give that CA's PEM file "
                   "as the profile's ca-file (verification is never turned off)";
        case TlsFailure::host_mismatch:
            return "the server's certificate is not for " + f.host +
                   names_text(f.certificate_names) + "; check the profile's endpoint";
        case TlsFailure::expired:
            return cert + " expired on " + (f.not_after.empty() ? "an earlier date" : f.not_after) +
                   "; the server must renew it (or this machine's clock is wrong)";
        case TlsFailure::not_yet_valid:
            return cert + " is not valid until " +
                   (f.not_before.empty() ? "a later date" : f.not_before) +
                   "; check this machine's clock";
        default:
            return cert + " was rejected (" + f.verify_text +
                   "); check the profile's endpoint and ca-file (verification is never turned off)";
    }
}

}  // namespace

TlsDiagnosis diagnose_tls_failure(const TlsFailureFacts& f) {
    TlsDiagnosis d;
    const std::string head =
        "TLS handshake with " + f.host + (f.port == 443 ? "" : ":" + std::to_string(f.port)) + ": ";
    if (f.verify_error != X509_V_OK) {
        d.kind = kind_of_verify_error(f.verify_error);
        d.stops_run = true;
        d.message = head + certificate_message(d.kind, f);
        return d;
    }
    d.kind = kind_of_ssl_reason(f.ssl_reason);
    switch (d.kind) {
        case TlsFailure::not_tls:
            d.message =
                head + "the server does not speak TLS on this port (" + f.error_text +
                "), e.g. plain HTTP; check that the profile's endpoint is the API's https:// "
                "address and port";
            break;
        case TlsFailure::protocol_mismatch:
            d.message = head + "the server offers no TLS version or cipher rcbatch accepts (" +
                        f.error_text + "); TLS 1.2 is the minimum, and the server must offer it";
            break;
        default:
            d.message = head + f.error_text;
            return d;
    }
    d.stops_run = true;
    return d;
}

namespace {

std::string utc_text(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return {};
    std::array<char, 32> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S UTC", &tm);
    return std::string(buf.data(), n);
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
    const int n = ASN1_STRING_length(ip);
    std::array<char, INET6_ADDRSTRLEN> text{};
    const int family = n == 4 ? AF_INET : n == 16 ? AF_INET6 : 0;
    if (family == 0 ||
        inet_ntop(family, ASN1_STRING_get0_data(ip), text.data(), text.size()) == nullptr)
        return "an IP address";
    return text.data();
}

std::vector<std::string> names_of(const X509* cert) {
    std::vector<std::string> names;
    auto* sans =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
        if (name->type == GEN_DNS) {
            const auto* s = name->d.dNSName;
            names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                               static_cast<std::size_t>(ASN1_STRING_length(s)));
        } else if (name->type == GEN_IPADD) {
            names.push_back(ip_text(name->d.iPAddress));
        }
    }
    GENERAL_NAMES_free(sans);
    if (!names.empty()) return names;
    std::array<char, 256> cn{};
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn.data(),
                                            static_cast<int>(cn.size()));
    if (n > 0) names.emplace_back(cn.data(), static_cast<std::size_t>(n));
    return names;
}

}  // namespace

void add_certificate_facts(const x509_st* cert, TlsFailureFacts& facts) {
    if (cert == nullptr) return;
    facts.certificate_names = names_of(cert);
    facts.not_before = utc_text(X509_get0_notBefore(cert));
    facts.not_after = utc_text(X509_get0_notAfter(cert));
}

}  // namespace rcbatch::engine
