#include "engine/report/junit_report.hpp"

#include "engine/report/run_summary.hpp"
#include "engine/text/markup_text.hpp"

#include <boost/json/serialize.hpp>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {

std::string seconds_of(double ms) { return fixed(ms / 1000.0, 3); }

// The failure's one-line message: what a CI page lists.
std::string failure_message(const OrderResult& r) {
    switch (r.outcome) {
        case Outcome::unknown:
            return "check by hand: the change may have been applied. " + r.message;
        case Outcome::not_run:
            return "not run: the run stopped first (rcbatch run --resume runs it). " + r.message;
        case Outcome::cancelled:
            return "cancelled while in flight (rcbatch run --resume checks it). " + r.message;
        default:
            return r.message;
    }
}

}  // namespace

std::string junit_head(const RunSummary& summary, const ReportStats& stats,
                       const std::vector<std::pair<std::string, std::string>>& more) {
    const std::string tests = std::to_string(stats.orders), failures = std::to_string(stats.failed),
                      skipped = std::to_string(stats.count(Outcome::skipped));
    const double wall_ms = static_cast<double>(summary.wall_time_ms.value_or(0));
    const std::string& job = summary.job;
    const std::string counts = "\" tests=\"" + tests + "\" failures=\"" + failures +
                               "\" errors=\"0\" skipped=\"" + skipped + "\" time=\"" +
                               seconds_of(wall_ms) + "\"";
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rcbatch" + counts + ">\n";
    out += "<testsuite name=\"" + safe_text(job.empty() ? "rcbatch" : job) + counts;
    if (!summary.started.empty()) out += " timestamp=\"" + safe_text(summary.started) + "\"";
    out += ">\n<properties>";
    for (const auto& [key, value] : {std::pair{"action", &summary.action},
                                     {"account", &summary.account},
                                     {"environment", &summary.environment},
                                     {"stop_reason", &summary.stop_reason},
                                     {"reports", &summary.reports}})
        if (!value->empty())
            out +=
                "<property name=\"" + std::string(key) + "\" value=\"" + safe_text(*value) + "\"/>";
    for (const auto& [name, value] : more)
        out += "<property name=\"" + safe_text(name) + "\" value=\"" + safe_text(value) + "\"/>";
    return out + "</properties>\n";
}

std::string junit_testcase(const OrderResult& r) {
    const std::string name = r.order_id.empty() ? r.target : r.order_id;
    std::string out = "<testcase classname=\"" + safe_text(r.action) + "\" name=\"" +
                      safe_text(name) + "\" time=\"" +
                      seconds_of(static_cast<double>(r.latency.count())) + "\"";
    const std::string outcome(to_string(r.outcome));
    const std::string detail = "outcome " + outcome + ", target " + r.target + ", HTTP " +
                               std::to_string(r.http_status) + ", attempts " +
                               std::to_string(r.attempts) + (r.reconciled ? ", reconciled" : "") +
                               "\n" + r.message;
    if (is_failure(r.outcome))
        return out + "><failure type=\"" + outcome + "\" message=\"" +
               safe_text(shorten(failure_message(r), 500)) + "\">" + safe_text(detail) +
               "</failure></testcase>\n";
    if (r.outcome == Outcome::skipped)
        return out + "><skipped message=\"" + safe_text(shorten(r.message, 500)) +
               "\"/></testcase>\n";
    return out + "/>\n";
}

std::string junit_tail() { return "</testsuite>\n</testsuites>\n"; }

}  // namespace rcbatch::engine
