#include "serve/pages/order_page.hpp"

#include "engine/text/markup_text.hpp"
#include "serve/pages/page_frame.hpp"

#include <charconv>

namespace rcbatch::serve {

namespace {
std::string outcome_cell(const jobs::ChangeEntry& c) {
    if (c.outcome.empty())
        return "<span class=\"flag\">open</span> <span class=\"note\">sent (or about to be), no "
               "answer recorded</span>";
    std::string out = "<span class=\"sw o-" + engine::markup_escape(c.outcome) + "\"></span>" +
                      engine::safe_text(c.outcome);
    if (c.outcome == "unknown") out += "<span class=\"flag\">check by hand</span>";
    return out;
}
}  // namespace

std::string change_money(const jobs::ChangeEntry& change) {
    std::string out;
    if (!change.amount.empty()) {
        double amount = 0;
        const auto [end, ec] = std::from_chars(change.amount.data(),
                                               change.amount.data() + change.amount.size(), amount);
        if (ec == std::errc() && end == change.amount.data() + change.amount.size())
            out = (amount <= 0 ? "charged " : "credited ") + engine::safe_text(change.currency) +
                  " " + engine::fixed(amount < 0 ? -amount : amount, 2);
        else
            out = "amount " + engine::safe_text(change.amount);
    }
    if (!change.invoice.empty())
        out +=
            (out.empty() ? "" : ", ") + std::string("invoice ") + engine::safe_text(change.invoice);
    return out;
}

std::string changes_table(const std::vector<jobs::ChangeEntry>& changes) {
    std::string out =
        "<table id=\"changes\"><thead><tr><th>sent</th><th>order</th><th>target</th><th>action</th>"
        "<th>outcome</th><th>evidence</th><th>money</th><th>term</th><th>job</th><th>run</th>"
        "</tr></thead><tbody>\n";
    for (const jobs::ChangeEntry& c : changes) {
        out += "<tr><td>" + time_text(c.intent_at) + "</td><td>" +
               html_link("/order/" + url_part(c.order_id), c.order_id) + "</td><td>" +
               engine::safe_text(c.target) + "</td><td>" + engine::safe_text(c.action) +
               "</td><td>" + outcome_cell(c) + "</td><td class=\"msg\">" +
               engine::safe_text(engine::shorten(c.evidence, 1000)) +
               (c.eaqid.empty()
                    ? ""
                    : " <span class=\"note\">(action " + engine::safe_text(c.eaqid) + ")</span>") +
               "</td><td>" + change_money(c) + "</td><td>" + engine::safe_text(c.term) +
               "</td><td>" + html_link("/runs?job=" + url_part(c.job), c.job) + "</td><td>" +
               html_link("/run/" + std::to_string(c.run), "run " + std::to_string(c.run)) +
               "</td></tr>\n";
    }
    return out + "</tbody></table>\n";
}

std::string order_page(jobs::LedgerView& view, const std::string& order_id, std::int64_t before) {
    const jobs::Page<jobs::ChangeEntry> page =
        view.order_changes(order_id, before, changes_per_page);
    const std::vector<jobs::ChangeEntry>& changes = page.rows;
    const bool more = page.more;
    std::string out = page_begin("Order " + order_id);
    if (changes.empty())
        return out +
               "<p>rcbatch sent no change to this order (read-only actions are not in the "
               "ledger).</p>\n" +
               page_end();
    out +=
        "<p class=\"note\">Every change rcbatch sent to this order, newest first. Changes by "
        "other clients (the reseller panel, other tools) are in the API's action lists: "
        "<code>rcbatch history " +
        engine::safe_text(order_id) + " --profile P</code>.</p>\n";
    out += changes_table(changes);
    if (more)
        out += "<p class=\"pager\">" +
               html_link(
                   "/order/" + url_part(order_id) + "?before=" + std::to_string(changes.back().id),
                   "older changes") +
               "</p>\n";
    return out + page_end();
}

}  // namespace rcbatch::serve
