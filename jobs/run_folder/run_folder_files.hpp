#pragma once
// A run folder's files (DESIGN.md "Journal, ledger, resume and locking"): the one place that
// knows their names. Every reader and writer above the engine asks a RunFolder for its path;
// the JSON-lines files are read through jobs/run_folder/json_lines.hpp, summary.json through
// read_summary(). The names themselves are engine/store/run_folder_names.hpp's, which the
// engine's ReportWriter writes by too. Every file of the folder is read
// as issue #11's inputs are: a regular file only (no FIFO, device or socket), of bounded size, and
// never through a symbolic link (engine/store/regular_file.hpp, Links::refuse).

#include "engine/store/run_folder_names.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// summary.json as read: its object, or else `error`, one line naming the file (it is
// missing or cannot be opened — a FIFO, a link, over engine::max_summary_bytes: !opened; it is
// not a JSON object).
struct SummaryRead {
    std::optional<boost::json::object> object;
    bool missing = false;  // no such file
    bool opened = false;
    std::string error;
};

// A run folder's one name: absolute, symlinks resolved, no trailing '/' ("DIR", "DIR/", a
// symlink to it and a relative path to it all give the same). A path that does not exist is
// made absolute and normal. Never throws.
std::filesystem::path canonical_run_dir(const std::filesystem::path& dir);

class RunFolder {
    using Records = engine::run_folder_names::Records;

  public:
    static constexpr std::string_view journal_name = engine::run_folder_names::journal;

    explicit RunFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

    const std::filesystem::path& dir() const noexcept { return dir_; }
    std::filesystem::path targets() const { return dir_ / engine::run_folder_names::targets; }
    std::filesystem::path journal() const { return dir_ / journal_name; }
    std::filesystem::path results() const { return dir_ / records_jsonl(Records::results); }
    std::filesystem::path plan() const { return dir_ / records_jsonl(Records::plan); }
    // plan.jsonl for a plan's folder, results.jsonl for the others.
    std::filesystem::path records(bool plan_folder) const {
        return plan_folder ? plan() : results();
    }
    std::filesystem::path summary() const { return dir_ / engine::run_folder_names::summary; }
    std::filesystem::path html() const { return dir_ / engine::run_folder_names::html; }
    std::filesystem::path junit() const { return dir_ / engine::run_folder_names::junit; }

    // The names, for messages: "plan.csv" / "results.csv".
    static std::string_view records_csv_name(bool plan_folder) noexcept {
        return records_csv(plan_folder ? Records::plan : Records::results);
    }

    // Whether `file` (one of the paths above) is there, whatever it is (a link planted in its
    // place is there: its readers refuse it); an unreadable folder says no.
    static bool has(const std::filesystem::path& file) noexcept;

    // summary.json; never throws.
    SummaryRead read_summary() const;

  private:
    std::filesystem::path dir_;
};

}  // namespace rcbatch::jobs
