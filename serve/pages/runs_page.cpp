#include "serve/pages/runs_page.hpp"

#include "engine/outcome.hpp"
#include "engine/text/markup_text.hpp"
#include "serve/pages/page_frame.hpp"

#include <array>

namespace rcbatch::serve {

namespace {
constexpr int runs_per_page = 50;

constexpr std::array states{jobs::RunState::running, jobs::RunState::finished,
                            jobs::RunState::stopped, jobs::RunState::died};

std::string filter_form(const jobs::RunFilter& f, const PageQuery& query) {
    const auto given = [&](const char* name) { return engine::markup_escape(query.value(name)); };
    std::string out =
        "<form class=\"filter\" method=\"get\" action=\"/runs\">"
        "<label>job<input name=\"job\" value=\"" +
        engine::markup_escape(f.job) +
        "\"></label><label>state<select name=\"state\"><option value=\"\">any</option>";
    for (jobs::RunState s : states) {
        const std::string name(jobs::to_string(s));
        out += "<option value=\"" + name + "\"" + (f.state == s ? " selected" : "") + ">" + name +
               "</option>";
    }
    out += "</select></label><label>started from<input name=\"from\" type=\"date\" value=\"" +
           given("from") + "\"></label><label>to<input name=\"to\" type=\"date\" value=\"" +
           given("to") + "\"></label><button>Show</button></form>\n";
    return out;
}

// The query of this filter without its page, for the "older" link.
std::string filter_link(const PageQuery& query, std::int64_t before) {
    std::string out = "/runs?before=" + std::to_string(before);
    for (const char* name : {"job", "state", "from", "to"})
        if (!query.value(name).empty())
            out += std::string("&") + name + "=" + url_part(query.value(name));
    return out;
}

std::string money_cell(const std::map<std::string, std::int64_t>& charged) {
    std::string out;
    for (const auto& [currency, thousandths] : charged)
        out += (out.empty() ? "" : "<br>") + engine::safe_text(currency) + " " +
               engine::fixed(static_cast<double>(thousandths) / 1000.0, 2);
    return out;
}
}  // namespace

std::optional<jobs::RunFilter> runs_filter(const PageQuery& query, std::string& error) {
    jobs::RunFilter f;
    f.limit = runs_per_page;
    f.job = query.value("job");
    if (const std::string& s = query.value("state"); !s.empty()) {
        f.state = jobs::run_state_named(s);
        if (!f.state) {
            error = "state: one of running, finished, stopped, died";
            return std::nullopt;
        }
    }
    for (const auto& [name, field, add] :
         {std::tuple{"from", &f.started_from, 0}, std::tuple{"to", &f.started_to, 86400}}) {
        const std::string& text = query.value(name);
        if (text.empty()) continue;
        auto day = day_start(text);
        if (!day) {
            error = std::string(name) + ": a date as YYYY-MM-DD";
            return std::nullopt;
        }
        *field = *day + add;
    }
    if (const std::string& before = query.value("before"); !before.empty()) {
        auto id = whole_number(before);
        if (!id) {
            error = "before: a run's number";
            return std::nullopt;
        }
        f.before_id = *id;
    }
    return f;
}

std::string state_cell(jobs::RunState state) {
    const std::string name(jobs::to_string(state));
    return "<span class=\"state-" + name + "\">" + name + "</span>";
}

std::string outcome_counts(const std::map<std::string, std::int64_t>& outcomes) {
    std::string out;
    for (engine::Outcome o : engine::outcomes_in_report_order) {
        auto it = outcomes.find(std::string(engine::to_string(o)));
        if (it == outcomes.end() || it->second == 0) continue;
        const std::string name(engine::to_string(o));
        out += "<span><span class=\"sw o-" + name + "\"></span>" + name + " " +
               engine::grouped(static_cast<std::uint64_t>(it->second)) + "</span>";
    }
    return out;
}

std::string runs_page(jobs::LedgerView& view, const jobs::RunFilter& filter,
                      const PageQuery& query) {
    const jobs::Page<jobs::RunRow> page = view.runs(filter);
    const std::vector<jobs::RunRow>& rows = page.rows;
    const bool more = page.more;
    std::string out = page_begin(filter.job.empty() ? "Runs" : "Runs of " + filter.job);
    out += filter_form(filter, query);
    if (rows.empty()) return out + "<p>No runs match.</p>\n" + page_end();
    out +=
        "<table id=\"runs\"><thead><tr><th>started</th><th>job</th><th>action</th><th>account</th>"
        "<th>state</th><th>wall time</th><th>orders by outcome</th><th>charged</th></tr></thead>"
        "<tbody>\n";
    for (const jobs::RunRow& row : rows) {
        const jobs::RunEntry& r = row.run;
        const std::string id = std::to_string(r.id);
        out += "<tr><td>" + html_link("/run/" + id, time_text(r.started)) + "</td><td>" +
               html_link("/runs?job=" + url_part(r.job), r.job) + "</td><td>" +
               engine::safe_text(r.action) +
               (r.kind == "run" ? "" : " (" + engine::safe_text(r.kind) + ")") + "</td><td>" +
               engine::safe_text(r.account) + "</td><td>" + state_cell(row.state) +
               "</td><td class=\"num\">" +
               (r.finished ? duration_text(r.finished - r.started) : "") +
               "</td><td class=\"outcomes\">" + outcome_counts(row.outcomes) +
               "</td><td class=\"num\">" + money_cell(row.charged) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    if (more)
        out += "<p class=\"pager\">" +
               html_link(filter_link(query, rows.back().run.id), "older runs") + "</p>\n";
    return out + page_end();
}

}  // namespace rcbatch::serve
