#include "engine/report/progress.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/secret/redact.hpp"
#include "engine/text/colour.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/json_line.hpp"

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace rcbatch::engine {

namespace {

std::string printf_string(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string rate_text(double rate) {
    return printf_string(rate < 10 ? "%.2f" : (rate < 100 ? "%.1f" : "%.0f"), rate);
}

// Seconds until done at the current rate; negative when unknown.
double eta_seconds(const ProgressCounts& c, Seconds elapsed) {
    const double rate = rate_of(c, elapsed);
    if (c.total == 0 || rate <= 0 || c.done > c.total) return -1;
    return static_cast<double>(c.total - c.done) / rate;
}

std::string counters(const ProgressCounts& c, bool with_skipped) {
    std::string s = "ok " + std::to_string(c.ok) + "  failed " + std::to_string(c.failed);
    if (with_skipped || c.skipped > 0) s += "  skipped " + std::to_string(c.skipped);
    if (c.not_run > 0) s += "  not run " + std::to_string(c.not_run);
    s += "  retrying " + std::to_string(c.retrying);
    return s;
}

std::string done_of_total(const ProgressCounts& c) {
    if (c.total == 0) return std::to_string(c.done) + " done";
    return std::to_string(c.done) + "/" + std::to_string(c.total);
}

std::string percent(const ProgressCounts& c) {
    if (c.total == 0) return {};
    return std::to_string(std::min<std::uint64_t>(100, c.done * 100 / c.total)) + "%";
}

constexpr std::size_t max_shown = 300;  // characters of a message on a failure line

std::string cut(std::string text) {
    if (text.size() <= max_shown) return text;
    std::size_t end = max_shown;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    return text + "...";
}

}  // namespace

bool is_reported_failure(Outcome o) noexcept {
    return is_failure(o) && o != Outcome::not_run && o != Outcome::cancelled && o != Outcome::fatal;
}

std::string failure_line(const OrderResult& r) {
    std::string line = "order " + (r.order_id.empty() ? std::string("-") : printable(r.order_id));
    if (!r.target.empty() && r.target != r.order_id) line += " (" + cut(printable(r.target)) + ")";
    line += " " + std::string(to_string(r.outcome));
    if (!r.message.empty()) line += ": " + cut(printable(r.message));
    if (r.outcome == Outcome::unknown) line += " -- check by hand: may have been applied";
    return line;
}

boost::json::object failure_json(const OrderResult& r) {
    return boost::json::object{{"event", "order"},
                               {"seq", r.seq},
                               {"order", r.order_id},
                               {"target", r.target},
                               {"outcome", to_string(r.outcome)},
                               {"message", r.message},
                               {"http_status", r.http_status},
                               {"attempts", r.attempts}};
}

std::string format_duration(Seconds d) {
    const double s = d.count();
    if (!std::isfinite(s) || s < 0) return "--";
    const auto total = static_cast<std::uint64_t>(std::llround(s));
    char buf[48];
    if (total < 60)
        std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(total));
    else if (total < 3600)
        std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(total / 60),
                      static_cast<unsigned long long>(total % 60));
    else
        std::snprintf(buf, sizeof buf, "%lluh%02llum",
                      static_cast<unsigned long long>(total / 3600),
                      static_cast<unsigned long long>(total % 3600 / 60));
    return buf;
}

double rate_of(const ProgressCounts& c, Seconds elapsed) noexcept {
    return elapsed.count() > 0 ? static_cast<double>(c.done) / elapsed.count() : 0.0;
}

std::string format_bar(const ProgressCounts& c, Seconds elapsed, std::size_t width) {
    std::string tail = done_of_total(c);
    if (c.total > 0) tail += "  " + percent(c);
    tail += "  " + counters(c, false) + "  " + rate_text(rate_of(c, elapsed)) + "/s";
    if (c.total > 0) tail += "  ETA " + format_duration(Seconds(eta_seconds(c, elapsed)));

    constexpr std::size_t min_bar = 10;
    if (c.total == 0 || tail.size() + 3 + min_bar > width) {
        if (tail.size() > width) tail.resize(width);
        return tail;
    }
    const std::size_t inner = std::min<std::size_t>(width - tail.size() - 3, 40);
    const auto filled = static_cast<std::size_t>(static_cast<double>(inner) *
                                                 static_cast<double>(std::min(c.done, c.total)) /
                                                 static_cast<double>(c.total));
    return "[" + std::string(filled, '#') + std::string(inner - filled, '.') + "] " + tail;
}

std::string format_line(const ProgressCounts& c, Seconds elapsed) {
    std::string line = "progress: " + done_of_total(c);
    if (c.total > 0) line += " (" + percent(c) + ")";
    line += "  " + counters(c, true) + "  " + rate_text(rate_of(c, elapsed)) + " orders/s" +
            "  elapsed " + format_duration(elapsed);
    if (c.total > 0) line += "  ETA " + format_duration(Seconds(eta_seconds(c, elapsed)));
    return line;
}

boost::json::object progress_json(const ProgressCounts& c, Seconds elapsed) {
    const double eta = eta_seconds(c, elapsed);
    return boost::json::object{
        {"event", "progress"},
        {"elapsed_ms", std::llround(elapsed.count() * 1000)},
        {"done", c.done},
        {"total", c.total},
        {"ok", c.ok},
        {"failed", c.failed},
        {"skipped", c.skipped},
        {"not_run", c.not_run},
        {"retrying", c.retrying},
        {"retries", c.retries},
        {"rate", std::round(rate_of(c, elapsed) * 100) / 100},
        {"eta_s", eta < 0 ? boost::json::value(nullptr) : boost::json::value(std::llround(eta))},
    };
}

bool stderr_is_tty() noexcept { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::ostream& out, ProgressOptions options, std::uint64_t total,
                   ProgressClock::time_point start)
    : out_(out), options_(options), start_(start), last_render_(start) {
    counts_.total = total;
}

ProgressStyle Progress::style() const noexcept {
    if (options_.style == ProgressStyle::bar && options_.format == LogFormat::json)
        return ProgressStyle::lines;
    return options_.style;
}

void Progress::retrying(std::uint64_t seq, ProgressClock::time_point now) {
    ++counts_.retries;
    if (retrying_.insert(seq).second) ++counts_.retrying;
    maybe_render(now);
}

void Progress::finished(std::uint64_t seq, Outcome outcome, ProgressClock::time_point now) {
    if (retrying_.erase(seq) > 0) --counts_.retrying;
    ++counts_.done;
    if (outcome == Outcome::ok)
        ++counts_.ok;
    else if (outcome == Outcome::skipped)
        ++counts_.skipped;
    else if (outcome == Outcome::not_run || outcome == Outcome::cancelled)
        ++counts_.not_run;
    else if (is_failure(outcome))
        ++counts_.failed;
    maybe_render(now);
}

void Progress::finished(const OrderResult& r, ProgressClock::time_point now) {
    if (is_reported_failure(r.outcome)) {
        if (options_.format == LogFormat::json)
            event(failure_json(r));
        else
            note(failure_line(r), now, true);
    }
    finished(r.seq, r.outcome, now);
}

void Progress::event(boost::json::object e) {
    if (!options_.run_id.empty()) {
        boost::json::object with_run;
        with_run.reserve(e.size() + 1);
        with_run["event"] = e.contains("event") ? e["event"] : "log";
        with_run["run"] = options_.run_id;
        for (auto& [key, value] : e)
            if (key != "event") with_run[key] = std::move(value);
        e = std::move(with_run);
    }
    out_ << redact(json_line(e)) << '\n';
    out_.flush();
}

void Progress::summary(const RunSummary& s, bool text, int exit_code) {
    if (options_.format == LogFormat::json) {
        boost::json::object e{{"event", "summary"}};
        for (const auto& [key, value] : s.json) e[key] = value;
        e["exit_code"] = exit_code;
        event(std::move(e));
        return;
    }
    clear_bar();
    if (text)
        out_ << colour_outcomes_if(options_.colour, printable_lines(redact(summary_text(s))));
    else if (style() == ProgressStyle::quiet && exit_code != 0)
        out_ << printable(redact(summary_line(s))) << '\n';
    out_.flush();
}

void Progress::tick(ProgressClock::time_point now) { maybe_render(now); }

void Progress::note(std::string_view text, ProgressClock::time_point now, bool important) {
    if (style() == ProgressStyle::quiet && !important) return;
    if (options_.format == LogFormat::json) {
        event(
            boost::json::object{{"event", "log"},
                                {"level", important ? "error" : "info"},
                                {"elapsed_ms", std::llround(Seconds(now - start_).count() * 1000)},
                                {"message", text}});
        return;
    } else {
        clear_bar();
        out_ << printable(redact(text)) << '\n';
        if (style() == ProgressStyle::bar && rendered_once_ && !over_) render(now);
    }
    out_.flush();
}

void Progress::done(ProgressClock::time_point now) {
    if (style() != ProgressStyle::quiet) render(now);
    over_ = true;
    if (bar_on_screen_) out_ << '\n';
    bar_on_screen_ = false;
    out_.flush();
}

void Progress::maybe_render(ProgressClock::time_point now) {
    switch (style()) {
        case ProgressStyle::quiet:
            return;
        case ProgressStyle::bar:
            if (!rendered_once_ || now - last_render_ >= options_.bar_interval) render(now);
            return;
        case ProgressStyle::lines:
            if (now - last_render_ >= options_.line_interval) render(now);
            return;
    }
}

void Progress::render(ProgressClock::time_point now) {
    const Seconds elapsed = now - start_;
    last_render_ = now;
    rendered_once_ = true;
    if (options_.format == LogFormat::json) {
        event(progress_json(counts_, elapsed));
        return;
    } else if (style() == ProgressStyle::bar) {
        const std::string bar = format_bar(counts_, elapsed, options_.width);
        out_ << '\r' << (options_.colour ? colour_bar(bar) : bar) << "\x1b[K";
        bar_on_screen_ = true;
    } else {
        out_ << format_line(counts_, elapsed) << '\n';
    }
    out_.flush();
}

void Progress::clear_bar() {
    if (!bar_on_screen_) return;
    out_ << "\r\x1b[K";
    bar_on_screen_ = false;
}

}  // namespace rcbatch::engine
