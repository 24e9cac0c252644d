#include "jobs/search_selector.hpp"

#include "engine/solo_caller.hpp"
#include "jobs/listing.hpp"
#include "jobs/registry.hpp"
#include "jobs/text_fields.hpp"

#include <charconv>

namespace rcbatch::jobs {

namespace {
using engine::Outcome;
namespace asio = boost::asio;

std::vector<CallParam> page_params(const SearchSelector& s, std::int64_t page) {
    std::vector<CallParam> params = s.params;
    params.push_back({"no-of-records", std::int64_t{search_page_size}});
    params.push_back({"page-no", page});
    return params;
}

CallParams page_call(const SearchSelector& s, const ActionSetup& auth, std::int64_t page) {
    CallParams call;
    call.path = s.path;
    call.auth_userid = auth.auth_userid;
    call.api_key = auth.api_key;
    call.params = page_params(s, page);
    return call;
}

// Writes the selected entries of one page; returns how many the page held.
std::uint64_t take_page(const SearchSelector& s, const SearchPage& page, TargetsWriter& out,
                        SelectionResult& result, TargetKind kind) {
    for (const boost::json::object* entry : page.entries) {
        if (!entry_selected(s, *entry)) continue;
        out.write(target_of(*entry, kind));
        ++result.selected;
    }
    result.received += page.entries.size();
    return page.entries.size();
}

// The pages after the first, one batch target each.
class PageSource final : public engine::TargetSource {
  public:
    PageSource(std::int64_t first, std::int64_t last) : next_(first), last_(last) {}
    std::optional<engine::Target> next() override {
        if (next_ > last_) return std::nullopt;
        engine::Target t;
        t.seq = static_cast<std::uint64_t>(next_ - 2);
        t.id = std::to_string(next_);
        t.given = "page " + t.id;
        ++next_;
        return t;
    }

  private:
    std::int64_t next_;
    std::int64_t last_;
};
}  // namespace

SearchSelector make_search_selector(const SearchFilter& f, TargetKind kind, std::string_view region,
                                    std::int64_t now,
                                    const std::vector<std::string>& product_keys) {
    SearchSelector s;
    const bool domains = kind == TargetKind::domain_order;
    s.spec = search_action(kind);
    s.path = path_for(*s.spec, region);
    if (!f.status.empty()) s.params.push_back({"status", f.status});
    if (!f.order_ids.empty()) s.params.push_back({"order-id", f.order_ids});
    if (!f.customer_ids.empty()) s.params.push_back({"customer-id", f.customer_ids});
    if (domains) {
        s.params.push_back({"product-key", f.product_keys.empty() ? product_keys : f.product_keys});
        if (f.domain_name) s.params.push_back({"domain-name", *f.domain_name});
    }
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    if (f.expires_within) {
        s.end_from = now;
        s.end_to = now + duration_cast<seconds>(*f.expires_within).count();
    } else if (f.expired_since) {
        s.end_from = now - duration_cast<seconds>(*f.expired_since).count();
        s.end_to = now;
    }
    // The API's bounds are exclusive; ours are inclusive, so widen by a second each way.
    if (s.end_from) s.params.push_back({"expiry-date-start", *s.end_from - 1});
    if (s.end_to) s.params.push_back({"expiry-date-end", *s.end_to + 1});
    s.params.push_back({"order-by", std::vector<std::string>{"orderid asc"}});
    return s;
}

bool entry_selected(const SearchSelector& s, const boost::json::object& entry) {
    if (!s.end_from && !s.end_to) return true;
    auto end = parse_whole(string_field(entry, "orders.endtime"));
    if (!end) return false;
    return (!s.end_from || *end >= *s.end_from) && (!s.end_to || *end <= *s.end_to);
}

engine::Target target_of(const boost::json::object& entry, TargetKind kind) {
    engine::Target t;
    t.id = string_field(entry, "orders.orderid");
    const std::string name = string_field(entry, "entity.description");
    t.given = kind == TargetKind::domain_order && !name.empty() ? name : t.id;
    t.extra["status"] = string_field(entry, "entity.currentstatus");
    t.extra["endtime"] = string_field(entry, "orders.endtime");
    if (!name.empty()) t.extra["name"] = name;
    return t;
}

// Pages 2..pages, fetched concurrently (the first one told how many there are).
asio::awaitable<void> fetch_other_pages(const SearchSelector& selector, const ActionSetup& auth,
                                        engine::BatchSettings settings, std::int64_t pages,
                                        TargetsWriter& out, SelectionResult& result) {
    const TargetKind kind = selector.spec->lists;
    const engine::Interpreter interpret = make_interpreter(auth.reply);
    auto executor = co_await asio::this_coro::executor;
    settings.handle_signals = false;
    settings.concurrency =
        static_cast<int>(std::min<std::int64_t>(settings.concurrency, pages - 1));
    settings.action = std::string(selector.spec->name);
    auto fetch = [&](engine::Target t,
                     engine::CallContext& ctx) -> asio::awaitable<engine::OrderResult> {
        engine::OrderResult r;
        engine::CallResult done = co_await engine::call(
            ctx, build_request(*selector.spec, page_call(selector, auth, std::stoll(t.id))),
            interpret);
        engine::fill_from_call(r, done);
        if (done.outcome == Outcome::ok && done.verdict.value.is_object())
            take_page(selector, read_search_page(done.verdict.value), out, result, kind);
        else if (done.outcome == Outcome::ok)
            r.outcome = Outcome::api_error;
        co_return r;
    };
    auto sink = [&](const engine::OrderResult& r) {
        if (r.outcome == Outcome::ok || !result.complete) return;
        result.complete = false;
        result.error = "the search failed at " + r.target + ": " + r.message;
    };
    engine::Batch batch(executor, settings, fetch, sink);
    PageSource source(2, pages);
    engine::BatchStats stats = co_await batch.run(source);
    if (stats.stopped != engine::StopReason::none) {
        result.stop = stats.stopped;
        result.stop_message = stats.stop_message;
    }
}

asio::awaitable<SelectionResult> select_by_search(SearchSelector selector,
                                                  std::shared_ptr<const ActionSetup> auth,
                                                  engine::BatchSettings settings,
                                                  TargetsWriter& out, std::int64_t max_orders) {
    SelectionResult result;
    const TargetKind kind = selector.spec->lists;
    const engine::Interpreter interpret = make_interpreter(auth->reply);
    auto executor = co_await asio::this_coro::executor;

    engine::CallResult first;
    {
        engine::SoloCaller caller(executor, settings);
        first = co_await engine::call(caller.context(),
                                      build_request(*selector.spec, page_call(selector, *auth, 1)),
                                      interpret);
        co_await caller.close();
        result.stop = caller.control().reason();
        result.stop_message = caller.control().message();
    }
    if (first.outcome != Outcome::ok || !first.verdict.value.is_object()) {
        result.complete = false;
        result.error = "the search failed: " +
                       (first.verdict.message.empty() ? first.last.error : first.verdict.message);
        co_return result;
    }
    const SearchPage page = read_search_page(first.verdict.value);
    result.api_total = page.total;
    if (static_cast<std::int64_t>(page.total) > max_orders) co_return result;
    take_page(selector, page, out, result, kind);

    const auto pages =
        static_cast<std::int64_t>((page.total + search_page_size - 1) / search_page_size);
    if (pages > 1) co_await fetch_other_pages(selector, *auth, settings, pages, out, result);
    if (result.complete && result.received != result.api_total)
        result.error = "the API counted " + std::to_string(result.api_total) + " orders but sent " +
                       std::to_string(result.received);
    co_return result;
}

}  // namespace rcbatch::jobs
