#include "sandbox/api/service.hpp"

#include "sandbox/api/api.hpp"
#include "sandbox/data/prng.hpp"

#include <boost/json/object.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

namespace rcbatch::sandbox {

namespace http = boost::beast::http;

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Options with_now(Options o) {
    if (o.now == 0) o.now = unix_now();
    return o;
}

bool is_form(std::string_view content_type) {
    auto semi = content_type.find(';');
    std::string_view base = content_type.substr(0, semi);
    while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
    return base.empty() || base == "application/x-www-form-urlencoded";
}

}  // namespace

Credentials credentials(const Options& options) {
    Credentials c;
    const std::uint64_t h = mix64(options.seed ^ 0xc0ffeeULL);
    c.userid = options.userid.empty() ? std::to_string(100000 + h % 900000) : options.userid;
    c.other_userid = std::to_string(100000 + (h / 900000 + 1) % 900000);
    if (c.other_userid == c.userid) c.other_userid = std::to_string(100000 + (h + 1) % 900000);
    if (options.api_key.empty()) {
        static constexpr char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Prng rng(h);
        for (int i = 0; i < 32; ++i) c.api_key += alphabet[rng.below(sizeof alphabet - 1)];
    } else {
        c.api_key = options.api_key;
    }
    return c;
}

Service::Service(Options options)
    : options_(with_now(std::move(options))),
      creds_(sandbox::credentials(options_)),
      data_(make_dataset(options_.seed, options_.sizes, options_.now, creds_.userid,
                         creds_.other_userid)) {
    if (options_.state_file.empty()) return;
    if (std::filesystem::exists(options_.state_file)) load_state();
    save_state();  // the whole, compacted: a new file, or the old one with its changes folded in
}

void Service::reset() {
    data_ = make_dataset(options_.seed, options_.sizes, options_.now, creds_.userid,
                         creds_.other_userid);
    counters_.clear();
    held_.clear();
    eaqid_ = invoice_id_ = token_ = 0;
    persist(std::nullopt);
}

bool Service::persist(std::optional<std::uint64_t> order_id) const {
    if (options_.state_file.empty()) return true;
    try {
        if (order_id)
            record_change(*order_id);
        else
            save_state();
        return true;
    } catch (const std::runtime_error& e) {
        std::cerr << "rcbatch sandbox: " << e.what() << '\n';
        return false;
    }
}

std::int64_t Service::clock_now() const {
    return unix_now() + options_.faults.clock_offset.count();
}

std::string Service::date_header() const {
    if (options_.faults.no_date) return {};
    return http_date(clock_now());
}

Counter Service::counter(std::uint64_t order_id, std::string_view action) const {
    auto it = counters_.find(std::pair<std::uint64_t, std::string_view>(order_id, action));
    return it == counters_.end() ? Counter{} : it->second;
}

const Order* Service::order(std::uint64_t id) const {
    auto it = data_.orders.find(id);
    return it == data_.orders.end() ? nullptr : &it->second;
}

Exchange Service::begin(const Incoming& in) {
    ++stats_.requests;
    settle_due(std::chrono::steady_clock::now());
    Exchange ex;
    if (options_.faults.echo_key && in.target.starts_with("/api/"))
        ex.echo = in.target + (in.body.empty() ? "" : " body: " + in.body);
    auto url = boost::urls::parse_origin_form(in.target);
    if (!url) {
        ++stats_.bad_requests;
        ex.reply = in.target.starts_with("/api/")
                       ? api_error("Malformed request: bad characters or percent-encoding",
                                   http::status::bad_request)
                       : plain_reply(http::status::bad_request, "Bad request target");
        if (!ex.echo.empty()) append_to_error_message(ex.reply, ex.echo);
        return ex;
    }
    const std::string path = url->path();
    Params params;
    const bool params_ok =
        params.add_encoded(url->encoded_query()) &&
        (in.body.empty() || !is_form(in.content_type) || params.add_encoded(in.body));

    if (path.starts_with("/_sandbox/")) {
        ex.reply = params_ok ? admin(in, path, params)
                             : plain_reply(http::status::bad_request, "Malformed parameters");
        return ex;
    }
    ex.reply = route(in, path, params_ok);
    if (!ex.echo.empty()) append_to_error_message(ex.reply, ex.echo);
    if (ex.reply.status != http::status::ok) return ex;
    const Endpoint* ep = find_endpoint(path);
    ++stats_.api_requests;
    ex.reply = Reply{};
    ex.api = true;
    ex.endpoint = ep;
    ex.region = ep->region;
    if (!ep->id_param.empty())
        if (auto v = params.get(ep->id_param)) ex.order_id = parse_id(*v).value_or(0);
    ex.params = std::move(params);
    auto [it, inserted] = counters_.try_emplace({ex.order_id, std::string(ep->action)});
    const std::uint64_t attempt = ++it->second.received;
    ex.fault = decide_fault(options_.faults, options_.seed, ex.order_id, ep->action, attempt);
    ex.fault.kind =
        fault_for_call(ex.fault.kind, ep->method == http::verb::post, ep->records_action);
    if (!options_.faults.only_action.empty() && options_.faults.only_action != ep->action)
        ex.fault.kind = FaultKind::none;
    return ex;
}

Reply Service::route(const Incoming& in, const std::string& path, bool params_ok) {
    const Endpoint* ep = find_endpoint(path);
    if (ep == nullptr) {
        return path.starts_with("/api/")
                   ? api_error("Unknown API path: " + path.substr(0, 200), http::status::not_found)
                   : plain_reply(http::status::not_found, "Not found");
    }
    if (in.method != ep->method) {
        Reply r = api_error(std::string(http::to_string(in.method)) + " is not allowed for " +
                                ep->path + "; use " + std::string(http::to_string(ep->method)),
                            http::status::method_not_allowed);
        r.headers.emplace_back("Allow", std::string(http::to_string(ep->method)));
        return r;
    }
    if (!params_ok) {
        ++stats_.bad_requests;
        return api_error("Malformed parameters: bad percent-encoding", http::status::bad_request);
    }
    return Reply{};  // 200: routed
}

Reply Service::finish(const Exchange& ex) {
    const auto userid = ex.params.get("auth-userid");
    const auto key = ex.params.get("api-key");
    if (userid && !options_.faults.deny_userid.empty() && *userid == options_.faults.deny_userid)
        return api_error(msg::access_denied);
    if (!userid || !key || *userid != creds_.userid || *key != creds_.api_key)
        return api_error(msg::invalid_credentials);

    Context ctx{*this, ex.params, ex.region};
    ctx.late = ex.fault.kind == FaultKind::apply_late;
    Reply reply = ex.endpoint->handler(ctx);
    if (ctx.applied) {
        auto& c = counters_[{ex.order_id, std::string(ex.endpoint->action)}];
        ++c.applied;
        if (!ctx.deferred) ++c.effective;
    }
    // A change is on disk before it is answered; if it cannot be, the answer is lost (a 500
    // page), as a real server's would be when it fails after applying a change.
    if (ctx.applied && ex.endpoint->method == http::verb::post && !persist(ex.order_id))
        return html_reply(http::status::internal_server_error, "Internal Server Error", ex.echo);
    if (ex.fault.kind == FaultKind::huge_number && reply.status == http::status::ok)
        reply.body = with_huge_amount(reply.body);
    if (!ex.echo.empty()) append_to_error_message(reply, ex.echo);
    return reply;
}

Reply Service::declined(const Exchange& ex) {
    boost::json::object a;
    a["entityid"] = std::to_string(ex.order_id);
    a["eaqid"] = std::to_string(next_eaqid());
    a["actiontype"] = std::string(ex.endpoint->action);
    const bool cancelled = ex.fault.variant % 2 == 1;
    a["actionstatus"] = cancelled ? "Cancelled" : "error";
    a["actionstatusdesc"] =
        cancelled ? "The action was cancelled" : "Renewal failed: card declined";
    return json_reply(a);
}

Reply Service::fault_reply(FaultKind kind, std::string_view echo) const {
    const std::string retry_after = std::to_string(options_.faults.retry_after_seconds);
    Reply r;
    switch (kind) {
        case FaultKind::too_many_requests:
            r = api_error("Too many requests. Please retry later.",
                          http::status::too_many_requests);
            r.headers.emplace_back("Retry-After", retry_after);
            break;
        case FaultKind::unavailable:
            r = html_reply(http::status::service_unavailable, "Service Temporarily Unavailable",
                           echo);
            r.headers.emplace_back("Retry-After", retry_after);
            break;
        case FaultKind::bad_gateway:
            r = html_reply(http::status::bad_gateway, "Bad Gateway", echo);
            break;
        case FaultKind::server_error_html:
            r = html_reply(http::status::internal_server_error, "Internal Server Error", echo);
            break;
        default:
            return plain_reply(http::status::internal_server_error, "no reply for this fault");
    }
    if (!echo.empty()) append_to_error_message(r, echo);
    return r;
}

}  // namespace rcbatch::sandbox
