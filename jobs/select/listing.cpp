#include "jobs/select/listing.hpp"

#include "jobs/api/result_fields.hpp"
#include "jobs/api/text_fields.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace rcbatch::jobs {

namespace {
using engine::Outcome;

std::uint64_t number_of(const boost::json::value* v) {
    if (!v) return 0;
    if (v->is_int64() && v->as_int64() > 0) return static_cast<std::uint64_t>(v->as_int64());
    if (v->is_uint64()) return v->as_uint64();
    if (v->is_string()) {
        std::uint64_t n = 0;
        std::string_view s = v->as_string();
        std::from_chars(s.data(), s.data() + s.size(), n);
        return n;
    }
    return 0;
}

engine::OrderResult failure_record(const ActionSpec& spec, const engine::CallResult& call,
                                   std::string target) {
    engine::OrderResult r;
    r.action = std::string(spec.name);
    r.target = std::move(target);
    engine::fill_from_call(r, call);
    if (call.outcome == Outcome::ok) {
        r.outcome = Outcome::api_error;
        r.message = "the API's answer is not a listing";
    }
    return r;
}

// The Acronis plans of a plan-details reply, one record each.
ListingResult emit_plans(const ActionSpec& spec, const engine::CallResult& call,
                         const RecordSink& emit) {
    ListingResult out;
    const boost::json::object* products = call.verdict.value.if_object();
    for (std::string_view key : {"acronisbackupus", "acronisbackupasia"}) {
        const boost::json::value* plans = products ? products->if_contains(key) : nullptr;
        if (!plans || !plans->is_object()) continue;
        for (const auto& [plan_id, plan] : plans->as_object()) {
            engine::OrderResult r;
            r.seq = out.received++;
            r.action = std::string(spec.name);
            r.started = r.finished = std::chrono::system_clock::now();
            r.target = std::string(key) + "/" + std::string(plan_id);
            r.outcome = Outcome::ok;
            r.http_status = call.last.status;
            r.fields = pick_fields(spec, plan, false);
            if (plan.is_object())  // every field the API returns (prices, currency, storage), not
                                   // only the columns
                for (const auto& [key, value] : plan.get_object())
                    if (!r.fields.contains(key))
                        r.fields[key] = is_secret_field(key) ? boost::json::value("***") : value;
            r.fields["product-key"] = key;
            r.fields["plan-id"] = plan_id;
            if (r.seq == 0) {
                r.attempts = call.attempts;
                r.retries = call.attempts - 1;
                r.latency = call.latency;
            }
            emit(std::move(r));
        }
    }
    out.expected = out.received;
    return out;
}
}  // namespace

std::string ListingResult::mismatch() const {
    if (failed || expected == received) return "";
    return "the API counted " + std::to_string(expected) + " entries but sent " +
           std::to_string(received);
}

SearchPage read_search_page(const boost::json::value& reply) {
    SearchPage page;
    const boost::json::object* o = reply.if_object();
    if (!o) return page;
    page.total = number_of(o->if_contains("recsindb"));
    const std::uint64_t on_page = number_of(o->if_contains("recsonpage"));
    for (std::uint64_t i = 1; i <= on_page; ++i) {
        const boost::json::value* entry = o->if_contains(std::to_string(i));
        if (entry && entry->is_object()) page.entries.push_back(&entry->as_object());
    }
    return page;
}

boost::asio::awaitable<ListingResult> run_listing(std::shared_ptr<const ActionSetup> setup,
                                                  engine::CallContext& ctx, RecordSink emit) {
    const ActionSpec& spec = *setup->spec;
    const engine::Interpreter interpret = make_interpreter(setup->reply);
    CallParams call;
    call.path = setup->path;
    call.auth_userid = setup->auth_userid;
    call.api_key = setup->api_key;
    call.post_params_in_query = setup->post_params_in_query;

    if (spec.listing == Listing::plans) {
        engine::CallResult done = co_await engine::call(ctx, build_request(spec, call), interpret);
        if (done.outcome != Outcome::ok || !done.verdict.value.is_object()) {
            emit(failure_record(spec, done, "plans"));
            co_return ListingResult{.failed = true};
        }
        co_return emit_plans(spec, done, emit);
    }

    ListingResult out;
    for (std::int64_t page_no = 1;; ++page_no) {
        call.params = setup->params;
        call.params.push_back({"no-of-records", std::int64_t{search_page_size}});
        call.params.push_back({"page-no", page_no});
        engine::CallResult done = co_await engine::call(ctx, build_request(spec, call), interpret);
        if (done.outcome != Outcome::ok || !done.verdict.value.is_object()) {
            emit(failure_record(spec, done, "page " + std::to_string(page_no)));
            out.failed = true;
            co_return out;
        }
        const SearchPage page = read_search_page(done.verdict.value);
        if (page_no == 1) out.expected = page.total;
        bool first = true;
        for (const boost::json::object* entry : page.entries) {
            engine::OrderResult r;
            r.seq = out.received++;
            r.action = std::string(spec.name);
            r.started = r.finished = std::chrono::system_clock::now();
            r.order_id = string_field(*entry, "orders.orderid");
            r.target = r.order_id;
            r.outcome = Outcome::ok;
            r.http_status = done.last.status;
            r.fields = pick_fields(spec, *entry, false);
            if (first) {
                r.attempts = done.attempts;
                r.retries = done.attempts - 1;
                r.latency = done.latency;
                first = false;
            }
            emit(std::move(r));
        }
        // An empty page, or every counted entry in hand, ends the paging.
        if (page.entries.empty() || out.received >= out.expected) break;
    }
    co_return out;
}

}  // namespace rcbatch::jobs
