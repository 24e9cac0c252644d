#pragma once
// Progress on stderr: a live single-line bar on a TTY, a plain line every few seconds
// otherwise, one JSON object per line with --log-format json, nothing with --quiet. The
// formatters are pure; Progress decides when to write and takes the time from its caller.

#include "engine/batch/order_result.hpp"
#include "engine/outcome.hpp"
#include "engine/report/run_summary.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_set>

namespace rcbatch::engine {

using ProgressClock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

struct ProgressCounts {
    std::uint64_t total = 0;  // 0 when not known (a streaming source)
    std::uint64_t done = 0;   // finished, whatever the outcome
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;  // is_failure(outcome), not_run and cancelled left out
    std::uint64_t skipped = 0;
    std::uint64_t not_run = 0;   // not_run and cancelled: the run stopped before they ended
    std::uint64_t retrying = 0;  // orders in flight that have had a failed attempt
    std::uint64_t retries = 0;   // retries so far
};

// "45s", "3m05s", "2h01m"; "--" for a negative or non-finite duration.
std::string format_duration(Seconds d);

// Orders per second since the start; 0 before any time has passed.
double rate_of(const ProgressCounts& c, Seconds elapsed) noexcept;

// Whether an order that ended so gets a line of its own on stderr (even with --quiet): it
// failed or may have been applied. not_run and cancelled are counted, not listed; fatal ones
// stop the run, whose one stop line names the cause.
bool is_reported_failure(Outcome o) noexcept;

// "order 91234567 (shop.in) api_error: Invalid order" for an order that ended so; unknown
// ones add "-- check by hand: may have been applied". Untrusted text is made printable().
std::string failure_line(const OrderResult& r);

// {"event":"order","seq":..,"order":..,"target":..,"outcome":..,"message":..,"attempts":..}
boost::json::object failure_json(const OrderResult& r);

// "[#####.....] 120/500  24%  ok 110  failed 8  retrying 2  12.3/s  ETA 31s", at most `width`
// characters: the bar shrinks first and is left out below 10 columns or with no total.
std::string format_bar(const ProgressCounts& c, Seconds elapsed, std::size_t width);

// "progress: 120/500 (24%)  ok 110  failed 8  skipped 0  retrying 2  12.3 orders/s  elapsed 10s ETA
// 31s"
std::string format_line(const ProgressCounts& c, Seconds elapsed);

// {"event":"progress","elapsed_ms":..,"done":..,"total":..,"ok":..,"failed":..,"skipped":..,
//  "not_run":..,"retrying":..,"retries":..,"rate":..,"eta_s":.. or null}
boost::json::object progress_json(const ProgressCounts& c, Seconds elapsed);

enum class ProgressStyle { bar, lines, quiet };
enum class LogFormat { text, json };

struct ProgressOptions {
    ProgressStyle style = ProgressStyle::lines;     // the CLI picks bar when stderr is a TTY
    LogFormat format = LogFormat::text;             // json implies lines: never redraws in place
    std::chrono::milliseconds bar_interval{200};    // least time between two bar redraws
    std::chrono::milliseconds line_interval{5000};  // least time between two plain lines
    std::size_t width = 80;                         // columns of the bar
    std::string run_id{};         // with json: "run" in every line (the run folder's name)
    bool colour = false;          // ANSI colours (colour.hpp) on the bar and summary
    std::string command = "run";  // whose messages these are: "rcbatch run: ..." or plan
};

// Whether stderr is a terminal (the one function here that looks at the environment).
bool stderr_is_tty() noexcept;

class Progress {
  public:
    Progress(std::ostream& out, ProgressOptions options, std::uint64_t total,
             ProgressClock::time_point start);

    // An attempt of order `seq` failed and will be retried.
    void retrying(std::uint64_t seq, ProgressClock::time_point now);
    // Order `seq` has its final outcome.
    void finished(std::uint64_t seq, Outcome outcome, ProgressClock::time_point now);
    // The same, and a failed or unknown order gets its line (failure_line / failure_json),
    // with --quiet too.
    void finished(const OrderResult& r, ProgressClock::time_point now);
    // Nothing happened, but time passed (a timer may call this so a stalled run still shows).
    void tick(ProgressClock::time_point now);
    // A message for the user, kept off the bar's line. `important` ones show even when quiet.
    void note(std::string_view text, ProgressClock::time_point now, bool important = false);
    // The run is over: the last state once more, and the bar's line ended.
    void done(ProgressClock::time_point now);
    // The run's summary (summary.json): with json one "summary" event carrying
    // `exit_code`; else summary_text() when `text`, or with --quiet the one-line
    // summary_line() when the run did not end with exit 0; nothing otherwise.
    void summary(const RunSummary& summary, bool text, int exit_code);
    // Writes one JSON object as a line, with "run" added (json format only).
    void event(boost::json::object e);

    const ProgressCounts& counts() const noexcept { return counts_; }

  private:
    void maybe_render(ProgressClock::time_point now);
    void render(ProgressClock::time_point now);
    void clear_bar();
    ProgressStyle style() const noexcept;

    std::ostream& out_;
    ProgressOptions options_;
    ProgressClock::time_point start_;
    ProgressClock::time_point last_render_;
    bool rendered_once_ = false;
    bool bar_on_screen_ = false;
    bool over_ = false;  // done() was called: notes no longer redraw the bar
    ProgressCounts counts_;
    std::unordered_set<std::uint64_t> retrying_;  // bounded by the concurrency
};

}  // namespace rcbatch::engine
