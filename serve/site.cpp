#include "serve/site.hpp"

#include "engine/secret/redact.hpp"
#include "engine/store/regular_file.hpp"
#include "engine/text/markup_text.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_view.hpp"
#include "serve/pages/metrics_page.hpp"
#include "serve/pages/order_page.hpp"
#include "serve/pages/page_frame.hpp"
#include "serve/pages/page_query.hpp"
#include "serve/pages/run_files.hpp"
#include "serve/pages/run_page.hpp"
#include "serve/pages/runs_page.hpp"
#include "serve/pages/search_page.hpp"
#include "serve/pages/style_sheet.hpp"

#include <iostream>
#include <memory>

namespace rcbatch::serve {

namespace fs = std::filesystem;

namespace {
PageResponse html(std::string body, unsigned status = 200) {
    PageResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

PageResponse message_page(unsigned status, std::string_view title, std::string_view text) {
    return html(
        page_begin(title) + "<p class=\"warn\">" + engine::safe_text(text) + "</p>\n" + page_end(),
        status);
}

PageResponse not_found() {
    return message_page(404, "Not found", "No page here: start from the runs.");
}

std::optional<jobs::RunRow> run_of(jobs::LedgerView& view, const std::string& id) {
    auto n = whole_number(id);
    return n ? view.run(*n) : std::nullopt;
}

PageResponse run_file(jobs::LedgerView& view, const PageQuery& q) {
    const auto type = run_file_type(q.segments[3]);
    auto row = run_of(view, q.segments[1]);
    if (!type || !row) return not_found();
    if (auto refusal = folder_refusal(row->run.folder))
        return message_page(404, "Not found", *refusal);
    std::string error;
    // A file of the folder is read as itself: a link planted in its place is refused.
    auto file = engine::open_regular_file(fs::path(row->run.folder) / type->name,
                                          engine::no_size_cap, error, engine::Links::refuse);
    if (!file) return message_page(404, "Not found", std::string(type->name) + " " + error);
    PageResponse r;
    r.content_type = std::string(type->content_type);
    // Streamed, line by line, through the redaction point (an old folder may quote a key
    // registered now).
    r.file = std::make_shared<engine::RegularFile>(std::move(*file));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"run-" +
                                                      std::to_string(row->run.id) + "-" +
                                                      std::string(type->name) + "\"");
    return r;
}

PageResponse route(const fs::path& state_dir, const PageQuery& q) {
    const auto& s = q.segments;
    if (s.size() == 2 && s[0] == "static" && s[1] == "rcbatch.css") {
        PageResponse r;
        r.content_type = "text/css; charset=utf-8";
        r.body = style_sheet();
        return r;
    }
    if (!fs::exists(state_dir / jobs::Ledger::file_name))
        return message_page(
            200, "Runs", "No ledger yet: no run has been recorded in " + state_dir.string() + ".");
    jobs::LedgerView view(state_dir);
    std::string error;
    if (s.empty() || (s.size() == 1 && s[0] == "runs")) {
        auto filter = runs_filter(q, error);
        if (!filter) return message_page(400, "Runs", error);
        return html(runs_page(view, *filter, q));
    }
    if (s[0] == "run" && s.size() == 2) {
        auto row = run_of(view, s[1]);
        if (!row) return not_found();
        RunPage page = run_page(*row, q, state_dir);
        PageResponse r = html(std::move(page.html), page.status);
        if (page.running)
            r.headers.emplace_back("Refresh", std::to_string(running_page_refresh_seconds));
        return r;
    }
    if (s[0] == "run" && s.size() == 4 && s[2] == "files") return run_file(view, q);
    if (s[0] == "order" && s.size() == 2) {
        std::int64_t before = 0;
        if (const std::string& b = q.value("before"); !b.empty()) {
            auto n = whole_number(b);
            if (!n) return message_page(400, "Order", "before: a change's number");
            before = *n;
        }
        return html(order_page(view, s[1], before));
    }
    if (s.size() == 1 && s[0] == "search") return html(search_page(view, q.value("q")));
    if (s.size() == 1 && s[0] == "metrics") {
        PageResponse r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics_page(view);
        return r;
    }
    return not_found();
}
}  // namespace

PageResponse Site::answer(const PageRequest& request) const {
    std::string error;
    auto query = parse_page_query(request.target, error);
    if (!query) return message_page(400, "Bad request", error);
    try {
        PageResponse r = route(state_dir_, *query);
        // The same redaction point as every output; and a word that looks like a key is masked
        // even when serve was not given the key (it reads folders written long ago).
        if (r.content_type.starts_with("text/html"))
            r.body = engine::mask_key_like(engine::redact(r.body));
        return r;
    } catch (const std::exception& e) {
        std::cerr << "rcbatch serve: " << engine::redact(e.what()) << '\n';
        return message_page(
            503, "Not available",
            "The ledger or a run folder cannot be read now; the server's log says why.");
    }
}

}  // namespace rcbatch::serve
