#pragma once
// One run's page: the ledger's facts; the run's state and, while it runs, its progress from its
// journal; the summary and charts of report.html (the same code, from the same summary.json);
// the failed and unknown orders first with their reasons and what to do; every order,
// searchable and sortable; and links to the run's files. The folder is read only when it is the
// one the ledger recorded (absolute, no symbolic link on the way) and never rebuilt or written.

#include "jobs/state/ledger_view.hpp"
#include "serve/pages/page_query.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace rcbatch::serve {

struct RunPage {
    std::string html;
    bool running = false;   // the page should refresh itself
    unsigned status = 200;  // 400 for a query the orders table does not take
};

// Why `folder` (as the ledger has it) is not served: it is not absolute, no longer exists, or
// its path now leads through a symbolic link; nullopt when it can be read.
std::optional<std::string> folder_refusal(const std::filesystem::path& folder);

// The page of `row` under the query's orders view (run_orders.hpp). Never throws for a damaged,
// missing or hostile folder: the page says what could not be read.
RunPage run_page(const jobs::RunRow& row, const PageQuery& query,
                 const std::filesystem::path& state_dir);

}  // namespace rcbatch::serve
