#include "serve/pages/search_page.hpp"

#include "engine/text/ascii_case.hpp"
#include "engine/text/markup_text.hpp"
#include "serve/pages/order_page.hpp"
#include "serve/pages/page_frame.hpp"

namespace rcbatch::serve {

namespace {
constexpr int changes_shown = 50;
constexpr int jobs_shown = 50;

std::string trimmed(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return std::string(text);
}

std::string search_form(const std::string& text) {
    return "<form class=\"filter\" method=\"get\" action=\"/search\"><label>order id, domain name "
           "or job<input name=\"q\" value=\"" +
           engine::markup_escape(text) + "\" autofocus></label><button>Search</button></form>\n";
}

// A section of at most `shown` changes, saying when there are more.
std::string changes_section(std::string_view title, const jobs::Page<jobs::ChangeEntry>& changes,
                            const std::string& more_href) {
    std::string out = "<h2>" + engine::safe_text(title) + "</h2>\n" + changes_table(changes.rows);
    if (changes.more)
        out += more_href.empty()
                   ? "<p class=\"note\">The newest " + std::to_string(changes_shown) +
                         " changes are shown.</p>\n"
                   : "<p class=\"pager\">" + html_link(more_href, "every change") + "</p>\n";
    return out;
}
}  // namespace

std::string search_page(jobs::LedgerView& view, const std::string& asked) {
    const std::string text = trimmed(asked);
    std::string out = page_begin(text.empty() ? "Search" : "Search: " + text) + search_form(text);
    if (text.empty()) return out + page_end();
    bool found = false;
    if (auto changes = view.order_changes(text, 0, changes_shown); !changes.rows.empty()) {
        found = true;
        out += changes_section("Order " + text, changes, "/order/" + url_part(text));
    }
    // A domain name as the job gave it, or as typed in lower case (targets are kept as given).
    auto under = view.target_changes(text, 0, changes_shown);
    if (const std::string lower = engine::ascii_lower(text); under.rows.empty() && lower != text)
        under = view.target_changes(lower, 0, changes_shown);
    if (!under.rows.empty()) {
        found = true;
        out += changes_section("Changes under the target " + text, under, "");
    }
    if (auto jobs = view.jobs_named(text, jobs_shown); !jobs.empty()) {
        found = true;
        out += "<h2>Jobs</h2>\n<ul id=\"jobs\">";
        for (const std::string& job : jobs)
            out += "<li>" + html_link("/runs?job=" + url_part(job), job) + "</li>";
        out += "</ul>\n";
    }
    if (!found)
        out +=
            "<p>Nothing in the ledger matches: no change to an order of that id, no change "
            "under that target, no job of that name. Read-only actions (details, search) are "
            "not in the ledger; their results are in their runs' files.</p>\n";
    return out + page_end();
}

}  // namespace rcbatch::serve
