#include "engine/net/tls_context.hpp"

#include "sandbox/server/certificate.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace tls_context_test {

using namespace rcbatch::engine;
namespace fs = std::filesystem;

namespace {
struct TempFile {
    fs::path path;
    explicit TempFile(const std::string& text) {
        path = fs::temp_directory_path() / ("rcbatch-ca-" + std::to_string(std::rand()) + ".pem");
        std::ofstream(path) << text;
    }
    ~TempFile() { fs::remove(path); }
};

std::string message_of(const TlsSettings& s) {
    try {
        make_client_tls_context(s);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_SUITE("tls_context") {
    TEST_CASE("a readable CA file and CA text are accepted") {
        const auto pki = rcbatch::sandbox::make_pki();
        TempFile ca(pki.ca_pem);
        CHECK_NOTHROW(make_client_tls_context(
            {.ca_file = ca.path.string(), .ca_pem = {}, .system_ca = true}));
        CHECK_NOTHROW(
            make_client_tls_context({.ca_file = {}, .ca_pem = pki.ca_pem, .system_ca = false}));
    }

    TEST_CASE("peer verification is on and TLS 1.2 is the minimum") {
        auto ctx = make_client_tls_context({});
        CHECK(SSL_CTX_get_verify_mode(ctx.native_handle()) == SSL_VERIFY_PEER);
        CHECK(SSL_CTX_get_min_proto_version(ctx.native_handle()) == TLS1_2_VERSION);
    }

    TEST_CASE("a missing CA file is a start-up failure naming the file") {
        const std::string m =
            message_of({.ca_file = "/nonexistent/rcbatch-ca.pem", .ca_pem = {}, .system_ca = true});
        CHECK(m.find("/nonexistent/rcbatch-ca.pem") != std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
    }

    TEST_CASE("a CA file without a certificate, or with a broken one, names the file") {
        TempFile junk("this is not a certificate\n");
        CHECK(message_of({.ca_file = junk.path.string(), .ca_pem = {}, .system_ca = true})
                  .find(junk.path.string()) != std::string::npos);
        TempFile broken("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        CHECK(message_of({.ca_file = broken.path.string(), .ca_pem = {}, .system_ca = true})
                  .find(broken.path.string()) != std::string::npos);
    }

    TEST_CASE("a directory given as CA file is refused") {
        const std::string dir = fs::temp_directory_path().string();
        CHECK(message_of({.ca_file = dir, .ca_pem = {}, .system_ca = true}).find(dir) !=
              std::string::npos);
    }

    TEST_CASE("broken CA text is refused") {
        CHECK_FALSE(message_of({.ca_file = {}, .ca_pem = "nope", .system_ca = true}).empty());
    }

    TEST_CASE("a CA file that is a FIFO is refused at once, never waited on (issue #20)") {
        const fs::path fifo =
            fs::temp_directory_path() / ("rcbatch-ca-fifo-" + std::to_string(::getpid()));
        fs::remove(fifo);
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        const std::string m =
            message_of({.ca_file = fifo.string(), .ca_pem = {}, .system_ca = true});
        fs::remove(fifo);
        CHECK(m.find(fifo.string()) != std::string::npos);
        CHECK(m.find("FIFO") != std::string::npos);
    }
}

}  // namespace tls_context_test
