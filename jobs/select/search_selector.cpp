#include "jobs/select/search_selector.hpp"

#include "engine/net/solo_caller.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/select/listing.hpp"
#include "jobs/select/target_file_reader.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <unordered_map>

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

// A count the API wrote ("500", or a number): a whole number from 0, else nullopt.
std::optional<std::uint64_t> count_of(const boost::json::value* v) {
    if (!v) return std::nullopt;
    if (v->is_uint64()) return v->as_uint64();
    if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
    if (!v->is_string()) return std::nullopt;
    const auto n = parse_whole(v->as_string());
    if (!n || *n < 0) return std::nullopt;
    return static_cast<std::uint64_t>(*n);
}

// The order id of a search entry (a string or a number), nullopt when it has none.
std::optional<std::int64_t> entry_order_id(const boost::json::object& entry) {
    const boost::json::value* v = entry.if_contains("orders.orderid");
    if (v && v->is_int64() && v->as_int64() > 0) return v->as_int64();
    return v && v->is_string() ? parse_order_id(v->as_string()) : std::nullopt;
}

std::string shown_count(const boost::json::value* v) {
    if (!v) return "no";
    return "'" + (v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v)) + "'";
}

// Takes the pages as they arrive: checks each, notes an order met twice, writes the entries
// that are selected and not excluded.
class PageTaker {
  public:
    PageTaker(const SearchSelector& s, TargetsWriter& out, SelectionResult& result)
        : s_(s), out_(out), result_(result) {}

    // `reply` is an object (the caller checked it); its entries are read in place.
    void take(const boost::json::value& reply, std::int64_t page_no) {
        if (!result_.untrusted.empty()) return;
        if (auto why = page_problem(reply.as_object(), page_no)) {
            result_.untrusted = std::move(*why);
            return;
        }
        const SearchPage page = read_search_page(reply);
        result_.received += page.entries.size();
        for (const boost::json::object* entry : page.entries) {
            const std::int64_t id = entry_order_id(*entry).value_or(0);  // page_problem checked
            if (auto [at, first] = seen_.emplace(id, page_no); !first) {
                result_.untrusted = "page " + std::to_string(page_no) + " repeats order " +
                                    std::to_string(id) + " of page " + std::to_string(at->second);
                return;
            }
            if (!entry_selected(s_, *entry)) continue;
            if (std::binary_search(s_.excluded.begin(), s_.excluded.end(), id)) {
                result_.excluded.push_back(id);
                continue;
            }
            out_.write(target_of(*entry, s_.spec->lists));
            ++result_.selected;
        }
    }

  private:
    const SearchSelector& s_;
    TargetsWriter& out_;
    SelectionResult& result_;
    std::unordered_map<std::int64_t, std::int64_t> seen_;  // order id -> the page it came on
};

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
    s.excluded = f.excluded;
    std::sort(s.excluded.begin(), s.excluded.end());
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

std::optional<std::string> page_problem(const boost::json::object& reply, std::int64_t page_no) {
    const std::string page = "page " + std::to_string(page_no);
    const boost::json::value* total_v = reply.if_contains("recsindb");
    const boost::json::value* on_page_v = reply.if_contains("recsonpage");
    const auto total = count_of(total_v);
    const auto on_page = count_of(on_page_v);
    if (!total) return page + " has " + shown_count(total_v) + " recsindb, not a count";
    if (!on_page) return page + " has " + shown_count(on_page_v) + " recsonpage, not a count";
    if (*on_page > static_cast<std::uint64_t>(search_page_size))
        return page + " holds " + std::to_string(*on_page) + " entries, more than the " +
               std::to_string(search_page_size) + " asked for";
    if (page_no == 1 && *on_page > *total)
        return page + " holds " + std::to_string(*on_page) + " entries, more than the " +
               std::to_string(*total) + " its recsindb counts";
    for (std::uint64_t i = 1; i <= *on_page; ++i) {
        const boost::json::value* entry = reply.if_contains(std::to_string(i));
        if (!entry || !entry->is_object())
            return page + " says it holds " + std::to_string(*on_page) + " entries, but entry " +
                   std::to_string(i) + " is missing";
        if (!entry_order_id(entry->as_object()))
            return page + "'s entry " + std::to_string(i) + " has no order id";
    }
    return std::nullopt;
}

void add_excluded(const std::vector<std::int64_t>& excluded, boost::json::object& summary) {
    constexpr std::size_t named = 10;  // in the text; summary.json names them all
    boost::json::array ids;
    std::string text = std::to_string(excluded.size()) +
                       (excluded.size() == 1 ? " order" : " orders") +
                       " found by the search and left out by the job's exclusions: ";
    for (std::size_t i = 0; i < excluded.size(); ++i) {
        ids.push_back(excluded[i]);
        if (i < named) text += (i ? ", " : "") + std::to_string(excluded[i]);
    }
    if (excluded.size() > named)
        text += " and " + std::to_string(excluded.size() - named) + " more";
    summary["excluded"] = {{"count", excluded.size()}, {"order_ids", std::move(ids)}};
    summary["excluded_text"] = std::move(text);
}

bool entry_selected(const SearchSelector& s, const boost::json::object& entry) {
    if (!s.end_from && !s.end_to) return true;
    auto end = parse_whole(string_field(entry, "orders.endtime"));
    if (!end) return false;
    return (!s.end_from || *end >= *s.end_from) && (!s.end_to || *end <= *s.end_to);
}

engine::Target target_of(const boost::json::object& entry, TargetKind kind) {
    engine::Target t;
    if (auto id = entry_order_id(entry)) t.id = std::to_string(*id);
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
                                        PageTaker& taker, SelectionResult& result) {
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
            taker.take(done.verdict.value, std::stoll(t.id));
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
    PageTaker taker(selector, out, result);
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
    const boost::json::value& reply = first.verdict.value;
    if (auto problem = page_problem(reply.as_object(), 1)) {
        result.untrusted = std::move(*problem);
        co_return result;
    }
    result.api_total = read_search_page(reply).total;
    if (static_cast<std::int64_t>(result.api_total) > max_orders) co_return result;
    taker.take(reply, 1);

    const auto pages =
        static_cast<std::int64_t>((result.api_total + search_page_size - 1) / search_page_size);
    if (pages > 1 && result.untrusted.empty())
        co_await fetch_other_pages(selector, *auth, settings, pages, taker, result);
    if (result.complete && result.received != result.api_total)
        result.error = "the API counted " + std::to_string(result.api_total) + " orders but sent " +
                       std::to_string(result.received);
    co_return result;
}

}  // namespace rcbatch::jobs
