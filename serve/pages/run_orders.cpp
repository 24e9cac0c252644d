#include "serve/pages/run_orders.hpp"

#include "engine/outcome.hpp"
#include "engine/report/html_report.hpp"
#include "engine/text/ascii_case.hpp"
#include "engine/text/markup_text.hpp"
#include "serve/pages/page_frame.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace rcbatch::serve {

namespace {
constexpr std::array sort_keys{"outcome",  "seq",     "order",   "target",
                               "attempts", "latency", "finished"};

bool holds(std::string_view haystack, std::string_view needle) {
    if (needle.size() > haystack.size()) return false;
    for (std::size_t at = 0; at + needle.size() <= haystack.size(); ++at)
        if (engine::iequals(haystack.substr(at, needle.size()), needle)) return true;
    return false;
}

std::string view_link(const std::string& base, const OrdersView& view) {
    std::string out = base + "?show=" + url_part(view.show) + "&sort=" + view.sort +
                      (view.descending ? "&dir=down" : "");
    if (!view.text.empty()) out += "&q=" + url_part(view.text);
    if (view.page > 0) out += "&page=" + std::to_string(view.page + 1);
    return out + "#orders";
}

std::string sort_head(const std::string& base, const OrdersView& view, const char* key,
                      const char* label) {
    OrdersView next = view;
    next.sort = key;
    next.page = 0;
    next.descending = view.sort == key && !view.descending;
    const bool sorted = view.sort == key;
    return "<th><a" + std::string(sorted ? " class=\"sorted\"" : "") + " href=\"" +
           engine::markup_escape(view_link(base, next)) + "\">" + label +
           (sorted ? (view.descending ? " &#9660;" : " &#9650;") : "") + "</a></th>";
}

std::string show_form(const std::string& base, const OrdersView& view) {
    std::string out = "<form class=\"filter\" method=\"get\" action=\"" +
                      engine::markup_escape(base) + "#orders\"><label>show<select name=\"show\">";
    std::vector<std::string> choices{"all", "attention"};
    for (engine::Outcome o : engine::outcomes_in_report_order)
        choices.emplace_back(engine::to_string(o));
    for (const std::string& c : choices)
        out += "<option value=\"" + c + "\"" + (view.show == c ? " selected" : "") + ">" +
               (c == "attention" ? "failed and unknown" : c) + "</option>";
    return out +
           "</select></label><label>order, target or message holds<input name=\"q\" value=\"" +
           engine::markup_escape(view.text) +
           "\"></label><input type=\"hidden\" name=\"sort\" value=\"" + view.sort +
           "\"><button>Show</button></form>\n";
}
}  // namespace

std::optional<OrdersView> orders_view(const PageQuery& query, std::string& error) {
    OrdersView view;
    if (const std::string& show = query.value("show"); !show.empty()) {
        bool known = show == "all" || show == "attention";
        for (engine::Outcome o : engine::outcomes_in_report_order)
            known = known || show == engine::to_string(o);
        if (!known) {
            error = "show: all, attention or an outcome";
            return std::nullopt;
        }
        view.show = show;
    }
    view.text = query.value("q");
    if (const std::string& sort = query.value("sort"); !sort.empty()) {
        if (std::find(sort_keys.begin(), sort_keys.end(), sort) == sort_keys.end()) {
            error = "sort: outcome, seq, order, target, attempts, latency or finished";
            return std::nullopt;
        }
        view.sort = sort;
    }
    const std::string& dir = query.value("dir");
    if (!dir.empty() && dir != "up" && dir != "down") {
        error = "dir: up or down";
        return std::nullopt;
    }
    view.descending = dir == "down";
    if (const std::string& page = query.value("page"); !page.empty()) {
        auto n = whole_number(page);
        if (!n || static_cast<std::uint64_t>(*n - 1) * orders_per_page >= deepest_order_row) {
            error = "page: from 1 to " + std::to_string(deepest_order_row / orders_per_page) +
                    " (search to narrow the orders)";
            return std::nullopt;
        }
        view.page = static_cast<std::size_t>(*n - 1);
    }
    return view;
}

bool order_shown(const engine::OrderResult& r, const OrdersView& view) {
    if (view.show == "attention" && engine::table_rank(r.outcome) > 1) return false;
    if (view.show != "all" && view.show != "attention" && view.show != engine::to_string(r.outcome))
        return false;
    return view.text.empty() || holds(r.order_id, view.text) || holds(r.target, view.text) ||
           holds(r.message, view.text);
}

bool order_before(const engine::OrderResult& a, const engine::OrderResult& b,
                  const OrdersView& view) {
    const auto key = [&](const engine::OrderResult& r) {
        const std::string& s = view.sort;
        const std::int64_t number = s == "outcome"
                                        ? static_cast<std::int64_t>(engine::table_rank(r.outcome))
                                    : s == "attempts" ? r.attempts
                                    : s == "latency"  ? r.latency.count()
                                    : s == "finished" ? r.finished.time_since_epoch().count()
                                                      : 0;
        const std::string_view text = s == "order"    ? std::string_view(r.order_id)
                                      : s == "target" ? std::string_view(r.target)
                                                      : std::string_view();
        return std::tuple(number, text);
    };
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return view.descending ? kb < ka : ka < kb;
    return a.seq < b.seq;  // ties in the run's order
}

OrdersPage::OrdersPage(OrdersView view, std::size_t per_page)
    : view_(std::move(view)), per_page_(per_page), keep_((view_.page + 1) * per_page) {}

bool OrdersPage::before(const engine::OrderResult& a, const engine::OrderResult& b) const {
    return order_before(a, b, view_);
}

void OrdersPage::add(const engine::OrderResult& r) {
    if (!order_shown(r, view_)) return;
    ++matched_;
    rows_.push_back(r);
    if (rows_.size() >= 2 * keep_) {  // keep the first `keep_`: memory bounded by the page
        std::nth_element(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(keep_),
                         rows_.end(),
                         [this](const auto& a, const auto& b) { return before(a, b); });
        rows_.resize(keep_);
    }
}

std::vector<engine::OrderResult> OrdersPage::rows() && {
    std::sort(rows_.begin(), rows_.end(),
              [this](const auto& a, const auto& b) { return before(a, b); });
    const std::size_t first = std::min(rows_.size(), view_.page * per_page_);
    rows_.erase(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(first));
    if (rows_.size() > per_page_) rows_.resize(per_page_);
    return std::move(rows_);
}

std::vector<engine::OrderResult> page_of_orders(
    const std::function<void(const std::function<void(const engine::OrderResult&)>&)>& each_record,
    const OrdersView& view, std::uint64_t& matched) {
    OrdersPage page(view);
    each_record([&page](const engine::OrderResult& r) { page.add(r); });
    matched = page.matched();
    return std::move(page).rows();
}

std::string orders_table(const std::vector<engine::OrderResult>& rows, std::uint64_t matched,
                         const OrdersView& view, const std::string& base,
                         const std::function<std::string(const engine::OrderResult&)>& charge) {
    std::string out = "<h2 id=\"orders\">Orders</h2>\n" + show_form(base, view);
    out += "<p class=\"note\">" + engine::grouped(matched) + " orders shown by this search.</p>\n";
    out += "<table id=\"order-table\"><thead><tr>" + sort_head(base, view, "seq", "seq") +
           sort_head(base, view, "outcome", "outcome") + sort_head(base, view, "order", "order") +
           sort_head(base, view, "target", "target") + "<th>message</th><th>HTTP</th>" +
           sort_head(base, view, "attempts", "attempts") +
           sort_head(base, view, "latency", "latency ms");
    if (charge) out += "<th>charge</th>";
    out += sort_head(base, view, "finished", "finished") + "</tr></thead><tbody>\n";
    for (const engine::OrderResult& r : rows) out += engine::html_row(r, charge, "/order/");
    out += "</tbody></table>\n<p class=\"pager\">";
    if (view.page > 0) {
        OrdersView previous = view;
        --previous.page;
        out += html_link(view_link(base, previous), "previous page") + " ";
    }
    if ((view.page + 1) * orders_per_page < matched) {
        OrdersView next = view;
        ++next.page;
        if ((next.page) * orders_per_page < deepest_order_row)
            out += html_link(view_link(base, next), "next page");
        else
            out += "<span class=\"note\">Search to narrow the orders: pages stop at row " +
                   engine::grouped(deepest_order_row) + ".</span>";
    }
    return out + "</p>\n";
}

}  // namespace rcbatch::serve
