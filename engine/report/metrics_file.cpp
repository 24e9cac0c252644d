#include "engine/report/metrics_file.hpp"

#include "engine/store/atomic_file.hpp"
#include "engine/store/regular_file.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace rcbatch::engine {

namespace {

struct Family {
    std::string_view name, help;
};

constexpr std::array<Family, 8> families{{
    {"rcbatch_last_run_orders", "Orders of the job's last run, by outcome."},
    {"rcbatch_last_run_orders_in_doubt",
     "Orders of the job's last run left in doubt (unknown: may have been applied); "
     "rcbatch settle RUN_DIR looks them up."},
    {"rcbatch_last_run_success_timestamp_seconds",
     "When the job's last successful run (exit code 0) ended."},
    {"rcbatch_last_run_timestamp_seconds",
     "When the job's last run ended, whatever its exit code."},
    {"rcbatch_last_run_duration_seconds", "Wall time of the job's last run."},
    {"rcbatch_last_run_exit_code",
     "Exit code of the job's last run (0 ok, 1 orders failed, 2 bad input, "
     "3 aborted, 4 locked)."},
    {"rcbatch_last_run_charged",
     "Money the job's last run is known to have charged (invoices, else list prices), by "
     "currency."},
    {"rcbatch_last_run_charge_in_doubt",
     "Money the job's last run may have charged on orders still in doubt (list prices), by "
     "currency."},
}};

std::string number(double v) {
    char buf[64];
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// The metric name of a sample line and the value of its job label (unescaped); false for
// comments, blank lines and lines that are not a sample with a job label.
bool parse_sample(std::string_view line, std::string& metric, std::string& job,
                  std::string_view& value) {
    if (line.empty() || line[0] == '#') return false;
    const std::size_t brace = line.find('{');
    if (brace == std::string_view::npos) return false;
    metric = std::string(line.substr(0, brace));
    const std::size_t close = line.rfind('}');
    const std::size_t at = line.find("job=\"", brace);
    if (close == std::string_view::npos || at == std::string_view::npos || at > close) return false;
    job.clear();
    std::size_t i = at + 5;
    for (; i < close && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < close) {
            ++i;
            job += line[i] == 'n' ? '\n' : line[i];
        } else {
            job += line[i];
        }
    }
    value = line.substr(close + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return true;
}

}  // namespace

std::string metrics_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::optional<double> previous_sample(std::string_view text, std::string_view metric,
                                      std::string_view job) {
    std::istringstream lines{std::string(text)};
    std::string line, name, label;
    std::string_view value;
    while (std::getline(lines, line)) {
        if (!parse_sample(line, name, label, value) || name != metric || label != job) continue;
        char* end = nullptr;
        const std::string v(value);
        const double d = std::strtod(v.c_str(), &end);
        if (end != v.c_str()) return d;
    }
    return std::nullopt;
}

std::string metrics_text(const MetricsRun& run, std::string_view previous) {
    std::map<std::string, std::vector<std::string>, std::less<>> kept;  // other jobs' samples
    std::istringstream lines{std::string(previous)};
    std::string line, name, label;
    std::string_view value;
    while (std::getline(lines, line))
        if (parse_sample(line, name, label, value) && label != run.job) kept[name].push_back(line);

    const std::string job = "job=\"" + metrics_label(run.job) + "\"";
    std::map<std::string_view, std::vector<std::string>> mine;
    for (const auto& [outcome, count] : run.outcomes)
        mine["rcbatch_last_run_orders"].push_back(
            "{" + job + ",outcome=\"" + metrics_label(outcome) + "\"} " + std::to_string(count));
    if (!run.outcomes.empty()) {
        const auto unknown = run.outcomes.find("unknown");
        mine["rcbatch_last_run_orders_in_doubt"].push_back(
            "{" + job + "} " + std::to_string(unknown == run.outcomes.end() ? 0 : unknown->second));
    }
    std::optional<double> success =
        run.last_success_unix
            ? run.last_success_unix
            : previous_sample(previous, "rcbatch_last_run_success_timestamp_seconds", run.job);
    if (run.exit_code == 0) success = run.finished_unix;
    if (success)
        mine["rcbatch_last_run_success_timestamp_seconds"].push_back("{" + job + "} " +
                                                                     number(*success));
    mine["rcbatch_last_run_timestamp_seconds"].push_back("{" + job + "} " +
                                                         number(run.finished_unix));
    mine["rcbatch_last_run_duration_seconds"].push_back("{" + job + "} " +
                                                        number(run.duration_seconds));
    mine["rcbatch_last_run_exit_code"].push_back("{" + job + "} " + std::to_string(run.exit_code));
    for (const auto& [family, money] :
         {std::pair{"rcbatch_last_run_charged", &run.charged},
          std::pair{"rcbatch_last_run_charge_in_doubt", &run.charge_in_doubt}})
        for (const auto& [currency, amount] : *money)
            mine[family].push_back("{" + job + ",currency=\"" + metrics_label(currency) + "\"} " +
                                   number(amount));

    std::string out;
    for (const Family& f : families) {
        const auto others = kept.find(f.name);
        const auto own = mine.find(f.name);
        if (others == kept.end() && own == mine.end()) continue;
        out += "# HELP " + std::string(f.name) + " " + std::string(f.help) + "\n# TYPE " +
               std::string(f.name) + " gauge\n";
        if (others != kept.end())
            for (const std::string& l : others->second) out += l + "\n";
        if (own != mine.end())
            for (const std::string& l : own->second) out += std::string(f.name) + l + "\n";
    }
    return out;
}

std::optional<std::string> metrics_file_refusal(const std::filesystem::path& path) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        const int err = errno;
        return "its folder " + dir.string() +
               (err == ENOENT ? " does not exist"
                              : " cannot be examined (" + std::string(std::strerror(err)) + ")");
    }
    if (!S_ISDIR(st.st_mode)) return dir.string() + " is not a folder";
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        const int err = errno;
        return "its folder " + dir.string() + " is not writable (" + std::strerror(err) + ")";
    }
    if (auto why = not_replaceable(path))
        return "the file " + *why +
               " (rcbatch replaces the metrics file whole: name a regular "
               "file of yours, or a new one)";
    return std::nullopt;
}

void write_metrics_file(const std::filesystem::path& path, const MetricsRun& run) {
    std::string previous;
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
        std::string why;
        auto text = read_regular_file(path, max_metrics_file_bytes, why, Links::refuse);
        if (!text) throw FileError("cannot read " + path.string() + ": the file " + why);
        previous = std::move(*text);
    }
    write_file_atomically(path, metrics_text(run, previous), 0644);  // node_exporter reads it
}

}  // namespace rcbatch::engine
