#include "serve/pages/run_page.hpp"

#include "engine/report/html_report.hpp"
#include "engine/text/markup_text.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "jobs/run_folder/report_pages.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "serve/pages/page_frame.hpp"
#include "serve/pages/run_files.hpp"
#include "serve/pages/run_orders.hpp"
#include "serve/pages/runs_page.hpp"

namespace rcbatch::serve {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t failures_listed = 50;

std::string fact(std::string_view name, const std::string& html) {
    return html.empty() ? std::string()
                        : "<dt>" + std::string(name) + "</dt><dd>" + html + "</dd>\n";
}

std::string ledger_facts(const jobs::RunRow& row) {
    const jobs::RunEntry& r = row.run;
    std::string out = "<dl class=\"facts\" id=\"run-facts\">\n";
    out += fact("job", html_link("/runs?job=" + url_part(r.job), r.job));
    out += fact("action", engine::safe_text(r.action)) + fact("kind", engine::safe_text(r.kind));
    out += fact("account", engine::safe_text(r.account));
    out += fact("state", state_cell(row.state));
    out += fact("started", time_text(r.started)) + fact("finished", time_text(r.finished));
    if (r.finished) out += fact("wall time", duration_text(r.finished - r.started));
    out += fact("folder", engine::safe_text(r.folder));
    return out + "</dl>\n";
}

std::string progress(const jobs::RunFolderReport& report) {
    const std::uint64_t done = report.final_orders;
    std::string out = "<h2>Progress</h2>\n<p id=\"progress\">";
    if (report.targets > 0) {
        out += "<progress value=\"" + std::to_string(done) + "\" max=\"" +
               std::to_string(report.targets) + "\"></progress> " + engine::grouped(done) + " of " +
               engine::grouped(report.targets) + " orders have ended";
    } else {
        out += engine::grouped(done) + " orders have ended";
    }
    out += " (failed so far: " + engine::grouped(report.tally.failed()) + ").</p>\n";
    if (!report.lock_holder.empty())
        out += "<p class=\"note\">Held by " + engine::safe_text(report.lock_holder) +
               "; this page refreshes itself.</p>\n";
    return out;
}

// The failed and unknown orders first (at most failures_listed), with their reason and, for
// `unknown`, what to do; then how many more, and the changes still open.
struct Attention {
    std::vector<jobs::FailedOrder> failures;
    std::uint64_t left_off = 0;
    std::uint64_t open_intents = 0;
};

std::string attention(const Attention& a, std::int64_t run, bool running) {
    if (a.failures.empty() && (running || a.open_intents == 0)) return {};
    std::string out = "<h2>Failed and unknown orders</h2>\n<ul id=\"attention\">\n";
    for (const jobs::FailedOrder& f : a.failures) {
        const std::string outcome(engine::to_string(f.outcome));
        out += "<li><span class=\"sw o-" + outcome + "\"></span>" + outcome + " ";
        out += f.order_id.empty()
                   ? engine::safe_text(f.target)
                   : html_link("/order/" + url_part(f.order_id), f.order_id) +
                         (f.target != f.order_id ? " (" + engine::safe_text(f.target) + ")" : "");
        out += ": <span class=\"reason\">" + engine::safe_text(engine::shorten(f.message, 500)) +
               "</span>";
        if (f.outcome == engine::Outcome::unknown)
            out +=
                " <span class=\"flag\">check by hand</span> <span class=\"note\">a change was "
                "sent and its answer lost: look at the order in the reseller panel (or "
                "<code>rcbatch history " +
                engine::safe_text(f.order_id) +
                " --profile P</code>) before running it again</span>";
        out += "</li>\n";
    }
    out += "</ul>\n";
    if (a.left_off > 0)
        out +=
            "<p class=\"note\">" + engine::grouped(a.left_off) + " more failed orders: " +
            html_link("/run/" + std::to_string(run) + "?show=attention#orders", "show them all") +
            ".</p>\n";
    if (a.open_intents > 0 && !running)  // in flight is what a running job does
        out += "<p class=\"warn\">Orders with a change sent (or about to be) and no answer: " +
               engine::grouped(a.open_intents) +
               ". <code>rcbatch run --resume</code> reconciles them first.</p>\n";
    return out;
}

Attention attention_of(const jobs::RunFolderReport& report) {
    return {report.failures, report.failures_left_off, report.open_intent_count};
}

// The attention list of a finished run, from the records as they pass.
Attention attention_of(OrdersPage&& failed) {
    Attention a;
    const std::uint64_t matched = failed.matched();
    for (engine::OrderResult& r : std::move(failed).rows())
        a.failures.push_back(
            {r.seq, std::move(r.order_id), std::move(r.target), r.outcome, std::move(r.message)});
    a.left_off = matched - a.failures.size();
    return a;
}

std::string files_section(std::int64_t run, const fs::path& folder) {
    std::string out;
    for (std::string_view name : served_run_files())
        if (jobs::RunFolder::has(folder / name))
            out += "<li>" +
                   html_link("/run/" + std::to_string(run) + "/files/" + std::string(name), name) +
                   "</li>";
    return out.empty() ? std::string() : "<h2>Files</h2>\n<ul id=\"files\">" + out + "</ul>\n";
}

std::string unreadable(std::string_view what, std::string_view why) {
    return "<p class=\"warn\">" + engine::safe_text(what) + ": " + engine::safe_text(why) +
           "</p>\n";
}
}  // namespace

std::optional<std::string> folder_refusal(const fs::path& folder) {
    if (!folder.is_absolute()) return "the ledger's folder is not an absolute path";
    std::error_code ec;
    const fs::path real = fs::canonical(folder, ec);
    if (ec) return "the run folder is gone (" + ec.message() + ")";
    if (real != folder) return "the run folder's path now leads through a symbolic link";
    if (!fs::is_directory(fs::symlink_status(real, ec))) return "the run folder is not a folder";
    return std::nullopt;
}

RunPage run_page(const jobs::RunRow& row, const PageQuery& query, const fs::path& state_dir) {
    const jobs::RunEntry& r = row.run;
    RunPage page;
    std::string& out = page.html;
    out = page_begin("Run " + std::to_string(r.id) + ": " + r.job);
    out += ledger_facts(row);
    std::string error;
    const auto view = orders_view(query, error);
    if (!view)
        return {
            page_begin("Run " + std::to_string(r.id)) + unreadable("the query", error) + page_end(),
            false, 400};
    if (auto refusal = folder_refusal(r.folder))
        return {out + unreadable("not shown", *refusal) + page_end(), false, 200};
    const fs::path folder = r.folder;

    std::optional<jobs::RunReportData> data;
    std::optional<OrdersPage> table;
    if (row.state == jobs::RunState::finished) {
        // Every target has its final result: one read of the records makes the summary, the
        // failed orders and the table's page.
        OrdersView failed_view;
        failed_view.show = "attention";
        OrdersPage failed(failed_view, failures_listed);
        table.emplace(*view);
        try {
            data = jobs::read_report_data(folder, [&](const engine::OrderResult& record) {
                failed.add(record);
                table->add(record);
            });
            out += attention(attention_of(std::move(failed)), r.id, false);
        } catch (const std::exception& e) {
            out += unreadable("the run folder", e.what());
            table.reset();
        }
    } else {
        // Running, stopped or died: the journal says how far it got and which changes are open.
        jobs::ReportOptions options;
        options.failure_limit = failures_listed;
        options.rebuild = false;  // read-only: `rcbatch report` rebuilds a died run's files
        options.state_dir = state_dir;
        std::optional<jobs::RunFolderReport> report;
        try {
            report = jobs::read_run_folder(folder, options);
        } catch (const std::exception& e) {
            out += unreadable("the run folder", e.what());
        }
        page.running = report && row.state == jobs::RunState::running;
        if (page.running) out += progress(*report);
        if (report) out += attention(attention_of(*report), r.id, page.running);
        if (report && report->summary) {
            table.emplace(*view);
            try {
                data = jobs::read_report_data(
                    folder, [&](const engine::OrderResult& record) { table->add(record); });
            } catch (const std::exception& e) {
                out += unreadable("the summary", e.what());
                table.reset();
            }
        }
    }
    if (data)
        out += "<h2>Summary</h2>\n" +
               engine::html_summary(data->summary, data->stats, data->timeline, data->money);
    out += files_section(r.id, folder);
    if (data && table) {
        const std::uint64_t matched = table->matched();
        out += orders_table(std::move(*table).rows(), matched, *view,
                            "/run/" + std::to_string(r.id), data->money.charge);
    }
    out += page_end();
    return page;
}

}  // namespace rcbatch::serve
