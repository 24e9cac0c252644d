#pragma once
// A sandbox on 127.0.0.1:0 and a verified client on one io_context, for the integration
// tests. Every call runs under a deadline (run_until_done), so no test can hang.

#include "sandbox/server/server.hpp"
#include "tests/support/sandbox_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace rcbatch::test {

namespace http = boost::beast::http;

inline sandbox::Options small_options() {
    sandbox::Options o;
    o.seed = 42;
    o.sizes.backups_per_region = 60;
    o.sizes.domains = 40;
    return o;
}

struct SandboxFixture {
    explicit SandboxFixture(sandbox::Options options = small_options())
        : server(std::make_unique<sandbox::Server>(ioc, std::move(options))),
          client(ioc, server->port(), server->ca_pem()) {}

    ~SandboxFixture() {
        client.close();
        server->stop();
        ioc.restart();
        ioc.run_for(std::chrono::seconds(5));  // let the sessions unwind
    }

    QueryParams auth() const {
        return {{"auth-userid", server->userid()}, {"api-key", server->api_key()}};
    }

    QueryParams with_auth(QueryParams params) const {
        QueryParams all = auth();
        all.insert(all.end(), params.begin(), params.end());
        return all;
    }

    ClientReply send(http::verb method, const std::string& target, std::string body = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        return run_until_done(ioc, client.request(method, target, std::move(body), timeout));
    }
    ClientReply get(const std::string& path, QueryParams params = {}) {
        return send(http::verb::get, make_target(path, with_auth(std::move(params))));
    }
    ClientReply post(const std::string& path, QueryParams params = {}) {
        return send(http::verb::post, make_target(path, with_auth(std::move(params))));
    }
    // POST with every parameter in a form body instead of the query string.
    ClientReply post_form(const std::string& path, QueryParams params = {}) {
        return send(http::verb::post, path, make_form(with_auth(std::move(params))));
    }
    boost::json::object get_json(const std::string& path, QueryParams params = {}) {
        auto r = get(path, std::move(params));
        return r.json().as_object();
    }
    std::string message_of(const ClientReply& r) {
        auto v = r.json();
        return std::string(v.as_object().at("message").as_string());
    }

    // The first own order that satisfies `pred`, or 0.
    template <class Pred>
    std::uint64_t find_order(Pred pred) const {
        for (const auto& [id, o] : server->service().data().orders)
            if (o.reseller_id == server->userid() && pred(o)) return id;
        return 0;
    }
    std::uint64_t foreign_order(sandbox::OrderKind kind, std::string_view region = "") const {
        for (const auto& [id, o] : server->service().data().orders)
            if (o.reseller_id != server->userid() && o.kind == kind &&
                (region.empty() || o.region == region))
                return id;
        return 0;
    }

    boost::asio::io_context ioc;
    std::unique_ptr<sandbox::Server> server;
    SandboxClient client;
};

inline std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

}  // namespace rcbatch::test
