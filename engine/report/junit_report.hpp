#pragma once
// results.junit.xml: the run as a JUnit test report, so Jenkins and GitLab show a bulk run
// like a test run: one <testsuite> named after the job, one <testcase> per order (classname
// the action, name the order id or, without one, the target as given). Failed outcomes
// (unknown, api_error, transient, ambiguous, fatal, not_run, cancelled: the orders summary.json
// counts as failed) are <failure type="OUTCOME"> with the API's message; skipped orders are
// <skipped>. Every text is redacted and escaped. Written streaming: head, testcases, tail.

#include "engine/batch/order_result.hpp"
#include "engine/report/report_stats.hpp"
#include "engine/report/run_summary.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <utility>
#include <vector>

namespace rcbatch::engine {

// The XML declaration, <testsuites> and <testsuite> with the counts of `stats`, and the run's
// facts as properties, `more` (the caller's: the money) after them.
std::string junit_head(const RunSummary& summary, const ReportStats& stats,
                       const std::vector<std::pair<std::string, std::string>>& more = {});

// One order's <testcase>.
std::string junit_testcase(const OrderResult& r);

// Closes the elements junit_head opened.
std::string junit_tail();

}  // namespace rcbatch::engine
