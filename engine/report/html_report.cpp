#include "engine/report/html_report.hpp"

#include "engine/report/html_charts.hpp"
#include "engine/report/result_record.hpp"
#include "engine/report/run_summary.hpp"
#include "engine/text/markup_text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {

constexpr const char* style_rules =
    R"(body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.4em;margin:0 0 .5em}h2{font-size:1.15em;margin:1.5em 0 .4em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1.2em;margin:0}
dl.facts dt{color:#555}dl.facts dd{margin:0}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.4em;margin:.5em 0}
.sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.msg{max-width:40em;overflow-wrap:anywhere}
.flag{background:#f9a825;color:#000;border-radius:3px;padding:0 .3em;margin-left:.3em;font-size:12px}
.warn{background:#fff3e0;border-left:4px solid #ef6c00;padding:.4em .8em}
.note{color:#555}svg text{font:11px sans-serif;fill:#333}svg.chart{max-width:100%;height:auto}
)";

constexpr const char* script_text = R"((function(){
var table=document.getElementById('orders');if(!table)return;
var body=table.tBodies[0],filter=document.getElementById('filter'),shown=document.getElementById('shown');
function apply(){var v=filter.value,n=0;Array.prototype.forEach.call(body.rows,function(r){
var o=r.getAttribute('data-outcome'),a=r.getAttribute('data-attention')==='1';
var show=v==='all'||v===o||(v==='attention'&&a);r.hidden=!show;if(show)n++;});
shown.textContent=n+' shown.';}
filter.addEventListener('change',apply);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
th.addEventListener('click',function(){var up=th.getAttribute('data-dir')!=='up';
th.setAttribute('data-dir',up?'up':'down');var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent,
y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);
var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return up?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();
)";

constexpr std::array table_outcomes{Outcome::unknown,   Outcome::api_error, Outcome::transient,
                                    Outcome::ambiguous, Outcome::fatal,     Outcome::cancelled,
                                    Outcome::not_run,   Outcome::skipped,   Outcome::ok};

std::string fact(std::string_view name, std::string_view value) {
    if (value.empty()) return {};
    return "<dt>" + markup_escape(name) + "</dt><dd>" + safe_text(value) + "</dd>\n";
}

std::string facts(const RunSummary& s, const ReportStats& stats) {
    std::string state = s.stopped() ? "stopped: " + s.stop_reason : "finished";
    if (!s.complete) state += " (incomplete: rebuilt from the journal)";
    if (!s.stop_message.empty()) state += " - " + s.stop_message;
    std::string latency;
    if (s.latency_us && stats.orders > 0)
        for (const auto& [name, us] : {std::pair{"p50", s.latency_us->p50},
                                       {"p95", s.latency_us->p95},
                                       {"p99", s.latency_us->p99},
                                       {"max", s.latency_us->max}})
            latency += std::string(latency.empty() ? "" : " \xc2\xb7 ") + name + " " +
                       fixed(us / 1000.0, 0) + " ms";
    std::string out = "<dl class=\"facts\">\n";
    out += fact("job", s.job) + fact("action", s.action) + fact("declaration", s.declaration);
    out += fact("account", s.account) + fact("environment", s.environment);
    out += fact("started", s.started) + fact("finished", s.finished);
    if (s.wall_time_ms)
        out += fact("wall time", fixed(static_cast<double>(*s.wall_time_ms) / 1000.0, 1) + " s");
    out += fact("sessions", std::to_string(s.sessions)) + fact("state", state);
    out += fact("orders", grouped(stats.orders) + " \xc2\xb7 attempts " + grouped(stats.attempts) +
                              " \xc2\xb7 retries " + std::to_string(s.retries));
    out += fact("latency", latency) + fact("plan", s.plan);
    out += fact("count mismatch", s.count_mismatch);
    return out + "</dl>\n";
}

std::string totals(const ReportStats& stats) {
    std::string out =
        "<h2>Totals</h2>\n" + outcome_bar_svg(stats) + "\n<ul class=\"legend\" id=\"totals\">";
    for (Outcome o : table_outcomes) {
        const std::uint64_t n = stats.count(o);
        if (n == 0) continue;
        out += "<li><span class=\"sw o-" + std::string(to_string(o)) + "\"></span>" +
               std::string(to_string(o)) + " " + grouped(n) + "</li>";
    }
    out += "<li>failed " + grouped(stats.failed) + " of " + grouped(stats.orders) + "</li></ul>\n";
    if (stats.count(Outcome::unknown) > 0)
        out +=
            "<p class=\"warn\">" + grouped(stats.count(Outcome::unknown)) +
            " orders are <b>unknown</b>: a change was sent and its answer lost, and nothing could "
            "tell whether it was applied. Check each by hand before running them again.</p>\n";
    return out;
}

std::string money(const HtmlMoney& money) {
    std::string rows;
    for (const auto& [name, value] : money.facts) rows += fact(name, value);
    return rows.empty() ? std::string()
                        : "<h2>Money</h2>\n<dl class=\"facts\" id=\"money\">\n" + rows + "</dl>\n";
}

std::string table_head(const ReportStats& stats, bool with_charge) {
    std::string out =
        "<h2>Orders</h2>\n<p><label>Show <select id=\"filter\"><option value=\"all\">all</option>"
        "<option value=\"attention\">failed and unknown</option>";
    for (Outcome o : table_outcomes)
        if (stats.count(o) > 0)
            out += "<option value=\"" + std::string(to_string(o)) + "\">" +
                   std::string(to_string(o)) + "</option>";
    out +=
        "</select></label> <span id=\"shown\" class=\"note\"></span> <span class=\"note\">Click a "
        "column "
        "to sort.</span></p>\n<table "
        "id=\"orders\"><thead><tr><th>seq</th><th>outcome</th><th>order</th>"
        "<th>target</th><th>message</th><th>HTTP</th><th>attempts</th><th>latency ms</th>";
    if (with_charge) out += "<th>charge</th>";
    return out + "<th>finished</th></tr></thead>\n<tbody>\n";
}

}  // namespace

std::size_t table_rank(Outcome o) noexcept {
    switch (o) {
        case Outcome::unknown:
            return 0;
        case Outcome::api_error:
        case Outcome::transient:
        case Outcome::ambiguous:
        case Outcome::fatal:
            return 1;
        case Outcome::cancelled:
        case Outcome::not_run:
            return 2;
        case Outcome::skipped:
            return 3;
        case Outcome::ok:
            return 4;
    }
    return 1;
}

std::string html_style() {
    std::string out = style_rules;
    for (Outcome o : table_outcomes)
        out += ".o-" + std::string(to_string(o)) + "{background:" + std::string(outcome_colour(o)) +
               "}";
    return out + "\n";
}

std::string_view html_script() { return script_text; }

std::string html_summary(const RunSummary& summary, const ReportStats& stats,
                         const std::vector<Timeline::Bin>& timeline, const HtmlMoney& money_shown) {
    std::string out = facts(summary, stats) + totals(stats) + money(money_shown);
    out +=
        "<h2>Latency</h2>\n<p class=\"note\">Orders by the time from their first request to their "
        "last "
        "answer (orders that sent nothing are left out).</p>\n" +
        latency_histogram_svg(stats) + "\n";
    if (!timeline.empty())
        out +=
            "<h2>Attempts and retries over time</h2>\n<p class=\"note\">Requests sent (blue) and "
            "retries "
            "(orange), by the time their order started.</p>\n" +
            timeline_svg(timeline) + "\n";
    return out;
}

std::string html_head(const RunSummary& summary, const ReportStats& stats,
                      const std::vector<Timeline::Bin>& timeline, const HtmlMoney& money_shown) {
    const std::string title = "rcbatch report: " + summary.job;
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
        "<title>" +
        safe_text(title) + "</title>\n";
    out += "<style>\n" + html_style() + "</style>\n";
    out += "</head><body>\n<h1>" + safe_text(title) + "</h1>\n";
    out += html_summary(summary, stats, timeline, money_shown);
    return out + table_head(stats, static_cast<bool>(money_shown.charge));
}

std::string html_row(const OrderResult& r,
                     const std::function<std::string(const OrderResult&)>& charge,
                     std::string_view order_href) {
    const std::string outcome(to_string(r.outcome));
    std::string out = "<tr data-outcome=\"" + outcome + "\" data-attention=\"" +
                      (table_rank(r.outcome) <= 1 ? "1" : "0") + "\"><td class=\"num\">" +
                      std::to_string(r.seq) + "</td><td><span class=\"sw o-" + outcome +
                      "\"></span>" + outcome;
    if (r.outcome == Outcome::unknown) out += "<span class=\"flag\">check by hand</span>";
    if (r.reconciled) out += " <span class=\"note\">(reconciled)</span>";
    const std::string order =
        order_href.empty() || r.order_id.empty()
            ? safe_text(r.order_id)
            : "<a href=\"" + markup_escape(order_href) +
                  markup_escape(boost::urls::encode(r.order_id, boost::urls::unreserved_chars)) +
                  "\">" + safe_text(r.order_id) + "</a>";
    out += "</td><td>" + order + "</td><td>" + safe_text(r.target) + "</td><td class=\"msg\">" +
           safe_text(shorten(r.message, 2000)) + "</td><td class=\"num\">" +
           (r.http_status ? std::to_string(r.http_status) : std::string()) +
           "</td><td class=\"num\">" + std::to_string(r.attempts) + "</td><td class=\"num\">" +
           std::to_string(r.latency.count()) + "</td>";
    if (charge) out += "<td class=\"num\">" + safe_text(charge(r)) + "</td>";
    const std::string finished =
        r.finished == std::chrono::system_clock::time_point{} ? "" : iso8601_utc(r.finished);
    return out + "<td>" + finished + "</td></tr>\n";
}

HtmlTable::HtmlTable(const ReportStats& stats, HtmlLimits limits,
                     std::function<std::string(const OrderResult&)> charge)
    : charge_(std::move(charge)) {
    std::array<std::uint64_t, ranks> counts{};
    for (Outcome o : table_outcomes) counts[table_rank(o)] += stats.count(o);
    std::size_t attention = limits.attention_rows, others = limits.other_rows;
    for (std::size_t rank = 0; rank < ranks; ++rank) {
        std::size_t& budget = rank <= 1 ? attention : others;
        caps_[rank] = static_cast<std::size_t>(std::min<std::uint64_t>(budget, counts[rank]));
        budget -= caps_[rank];
    }
}

void HtmlTable::add(const OrderResult& r) {
    const std::size_t rank = table_rank(r.outcome);
    if (kept_[rank] < caps_[rank]) {
        rows_[rank].append(html_row(r, charge_));
        ++kept_[rank];
    } else {
        ++left_out_[rank];
    }
}

void HtmlTable::render(const std::function<void(std::string_view)>& put) const {
    for (const TextSpool& rows : rows_) rows.read(put);
    put("</tbody></table>\n");
    const std::uint64_t attention = left_out_[0] + left_out_[1];
    const std::uint64_t others = left_out_[2] + left_out_[3] + left_out_[4];
    if (attention + others > 0)
        put("<p class=\"warn\" id=\"left-out\">The table shows the first orders of each kind, "
            "failed and unknown first; " +
            grouped(attention) + " failed or unknown and " + grouped(others) +
            " other orders are left out here. <b>results.csv</b> (and results.jsonl) in this "
            "folder has every order.</p>\n");
}

std::string HtmlTable::render() const {
    std::string out;
    render([&out](std::string_view piece) { out += piece; });
    return out;
}

std::string html_tail() {
    return "<script>\n" + std::string(script_text) + "</script>\n" +
           "<p class=\"note\">Written by rcbatch " RCBATCH_VERSION
           " from this folder's summary.json and results.jsonl.</p>\n</body></html>\n";
}

}  // namespace rcbatch::engine
