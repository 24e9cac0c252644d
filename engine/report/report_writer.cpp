#include "engine/report/report_writer.hpp"

#include "engine/secret/redact.hpp"
#include "engine/store/atomic_file.hpp"

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <system_error>

namespace rcbatch::engine {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string time_or_empty(std::chrono::system_clock::time_point t) {
    return t == std::chrono::system_clock::time_point{} ? std::string{} : iso8601_utc(t, true);
}

std::string field_text(const json::value* v) {
    if (v == nullptr) return {};
    if (v->is_string()) return std::string(v->get_string());
    return json::serialize(*v);
}

std::string one_line_error(std::string_view what, const fs::path& path, int err) {
    return std::string(what) + " " + path.string() + ": " + std::strerror(err);
}

std::int64_t rounded(double v) { return static_cast<std::int64_t>(std::llround(v)); }

std::string human_duration_us(double us) {
    char buf[64];
    if (us < 1000)
        std::snprintf(buf, sizeof buf, "%.0f us", us);
    else if (us < 10'000)
        std::snprintf(buf, sizeof buf, "%.2f ms", us / 1000);
    else if (us < 1'000'000)
        std::snprintf(buf, sizeof buf, "%.0f ms", us / 1000);
    else
        std::snprintf(buf, sizeof buf, "%.2f s", us / 1'000'000);
    return buf;
}

}  // namespace

fs::path create_run_dir(const fs::path& base, std::string_view job,
                        std::chrono::system_clock::time_point now) {
    if (job.empty() || job == "." || job == ".." ||
        job.find_first_of("/\\") != std::string_view::npos ||
        job.find('\0') != std::string_view::npos)
        throw std::invalid_argument("job name '" + std::string(job) + "' cannot name a folder");
    const fs::path parent = base / fs::path(std::string(job));
    std::error_code ec;
    fs::create_directories(base, ec);
    if (!ec) create_private_dir(parent, ec);
    if (ec)
        throw ReportError("cannot create report folder " + parent.string() + ": " + ec.message());

    std::string stamp = iso8601_utc(now);  // 2019-10-26T13:34:52Z -> 20191026T133452Z
    std::erase(stamp, '-');
    std::erase(stamp, ':');
    for (int n = 1; n <= 1000; ++n) {
        const fs::path dir = parent / (n == 1 ? stamp : stamp + "-" + std::to_string(n));
        if (create_private_dir(dir, ec)) return dir;
        if (ec) throw ReportError("cannot create run folder " + dir.string() + ": " + ec.message());
    }
    throw ReportError("cannot create run folder under " + parent.string() +
                      ": 1000 folders for the same second exist already");
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    out += '"';
    for (std::size_t from = 0;;) {
        const std::size_t quote = text.find('"', from);
        if (quote == std::string_view::npos) {
            out.append(text.substr(from));
            break;
        }
        out.append(text.substr(from, quote + 1 - from));  // up to and with the quote
        out += '"';                                       // doubled
        from = quote + 1;
    }
    out += '"';
    return out;
}

namespace {
std::string csv_cell(std::string_view text, CsvCells cells) {
    return cells == CsvCells::raw ? csv_field(text) : csv_field(spreadsheet_safe(text));
}
}  // namespace

std::string csv_header(const std::vector<std::string>& field_columns, CsvCells cells) {
    std::string line =
        "seq,order,target,action,outcome,http_status,message,attempts,reconciled,"
        "latency_ms,started,finished";
    for (const std::string& name : field_columns) {
        line += ',';
        line += csv_cell(name, cells);
    }
    line += ",fields\r\n";
    return line;
}

std::string csv_row(const OrderResult& r, const std::vector<std::string>& field_columns,
                    CsvCells cells) {
    std::string line;
    const auto add = [&](std::string_view text) {
        if (!line.empty()) line += ',';
        line += csv_cell(text, cells);
    };
    line = std::to_string(r.seq);
    add(r.order_id);
    add(r.target);
    add(r.action);
    add(to_string(r.outcome));
    add(std::to_string(r.http_status));
    add(r.message);
    add(std::to_string(r.attempts));
    add(r.reconciled ? "true" : "false");
    add(std::to_string(r.latency.count()));
    add(time_or_empty(r.started));
    add(time_or_empty(r.finished));
    for (const std::string& name : field_columns) add(field_text(r.fields.if_contains(name)));
    add(json::serialize(r.fields));
    line += "\r\n";
    return line;
}

json::object summary_json(const Tally& tally, const RunInfo& info) {
    json::object s = info.extra;
    s["started"] = time_json(info.started);
    s["finished"] = time_json(info.finished);
    s["orders"] = tally.orders();
    json::object outcomes;
    for (Outcome o : outcomes_in_report_order) outcomes[to_string(o)] = tally.count(o);
    s["outcomes"] = std::move(outcomes);
    s["failed"] = tally.failed();
    s["attempts"] = tally.attempts();
    s["retries"] = tally.retries();
    s["wall_time_ms"] = info.wall.count();
    const double seconds = static_cast<double>(info.wall.count()) / 1000.0;
    const auto attempted =
        tally.latency().count() - std::min(tally.latency().count(), info.attempted_before);
    s["orders_per_second"] =
        seconds > 0 ? std::round(static_cast<double>(attempted) / seconds * 100.0) / 100.0 : 0.0;
    const LatencyStats& l = tally.latency();
    s["latency_us"] = json::object{{"p50", rounded(l.percentile_ms(50) * 1000)},
                                   {"p95", rounded(l.percentile_ms(95) * 1000)},
                                   {"p99", rounded(l.percentile_ms(99) * 1000)},
                                   {"max", rounded(l.max_ms() * 1000)},
                                   {"mean", rounded(l.mean_ms() * 1000)}};
    s["connections_opened"] = info.connections_opened;
    return s;
}

std::string summary_text(const RunSummary& s) {
    std::string out = "rcbatch";
    if (!s.job.empty()) out += ": " + s.job;
    if (!s.action.empty()) out += " (" + s.action + ")";
    if (s.stopped()) out += " — stopped: " + s.stop_reason;
    out += '\n';

    out += "  orders     " + std::to_string(s.orders);
    for (Outcome oc : outcomes_in_report_order)
        if (auto n = s.count(oc); n > 0)
            out += "   " + std::string(to_string(oc)) + " " + std::to_string(n);
    out += '\n';
    out += "  attempts   " + std::to_string(s.attempts) + "   (" + std::to_string(s.retries) +
           (s.retries == 1 ? " retry)\n" : " retries)\n");

    char buf[160];
    std::snprintf(buf, sizeof buf, "  wall time  %.1f s   %.1f orders/s   %llu %s\n",
                  static_cast<double>(s.wall_time_ms.value_or(0)) / 1000.0, s.orders_per_second,
                  static_cast<unsigned long long>(s.connections_opened),
                  s.connections_opened == 1 ? "connection" : "connections");
    out += buf;
    if (const auto& l = s.latency_us)
        out += "  latency    p50 " + human_duration_us(l->p50) + "   p95 " +
               human_duration_us(l->p95) + "   p99 " + human_duration_us(l->p99) + "   max " +
               human_duration_us(l->max) + '\n';
    if (!s.excluded_text.empty()) out += "  excluded   " + s.excluded_text + '\n';
    if (!s.estimate_text.empty()) out += "  estimate   " + s.estimate_text + '\n';
    if (!s.charged_text.empty()) out += "  money      " + s.charged_text + '\n';
    if (!s.reports.empty()) out += "  reports    " + s.reports + '\n';
    return out;
}

std::string summary_line(const RunSummary& s) {
    std::string out = "rcbatch";
    if (!s.job.empty()) out += ": " + s.job;
    if (!s.action.empty()) out += " (" + s.action + ")";
    out += ": " + std::to_string(s.orders) + (s.orders == 1 ? " order" : " orders");
    std::string counts;
    for (Outcome oc : outcomes_in_report_order)
        if (auto n = s.count(oc); n > 0)
            counts += (counts.empty() ? ": " : ", ") + std::string(to_string(oc)) + " " +
                      std::to_string(n);
    out += counts;
    if (s.stopped()) out += " — stopped: " + s.stop_reason;
    if (!s.reports.empty()) out += "; reports " + s.reports;
    return out;
}

ReportWriter::File ReportWriter::open(const fs::path& path, bool append) {
    std::string why;
    File f{path, open_private_file(path, append ? FileOpen::append : FileOpen::replace, why)};
    if (f.handle == nullptr)
        throw ReportError("cannot open " + path.string() + ": the file " + why);
    return f;
}

void ReportWriter::put(File& file, std::string_view text) {
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), file.handle) != text.size() ||
        std::fflush(file.handle) != 0)
        throw ReportError(one_line_error("cannot write", file.path, errno != 0 ? errno : EIO));
}

ReportWriter::ReportWriter(fs::path dir, std::vector<std::string> field_columns, bool append,
                           run_folder_names::Records records, CsvCells cells)
    : dir_(std::move(dir)), field_columns_(std::move(field_columns)), cells_(cells) {
    const fs::path csv_path = dir_ / run_folder_names::records_csv(records);
    const fs::path jsonl_path = dir_ / run_folder_names::records_jsonl(records);
    // Both judged before either is replaced: a refused one leaves the other as it was.
    for (const fs::path& path : {jsonl_path, csv_path})
        if (auto why = not_replaceable(path))
            throw ReportError("cannot open " + path.string() + ": the file " + *why);
    std::error_code ec;
    const bool csv_empty = !append || !fs::exists(csv_path, ec) || fs::file_size(csv_path, ec) == 0;
    jsonl_ = open(jsonl_path, append);
    try {
        csv_ = open(csv_path, append);
        if (csv_empty) put(csv_, csv_header(field_columns_, cells_));
    } catch (...) {
        close_all();
        throw;
    }
}

ReportWriter::~ReportWriter() { close_all(); }

void ReportWriter::close_all() noexcept {
    for (File* f : {&jsonl_, &csv_}) {
        if (f->handle != nullptr) std::fclose(f->handle);
        f->handle = nullptr;
    }
}

std::string ReportWriter::write(const OrderResult& r) {
    if (jsonl_.handle == nullptr) throw ReportError("report " + dir_.string() + " is closed");
    // The one redaction point for records: the server's texts may echo the key.
    std::string record = redact(json::serialize(to_json(r)));
    record += '\n';
    put(jsonl_, record);
    record.pop_back();
    put(csv_, redact(csv_row(r, field_columns_, cells_)));
    tally_.add(r);
    return record;
}

RunSummary ReportWriter::finish(RunInfo info) {
    json::object summary = summary_json(tally_, info);
    summary["reports"] = dir_.string();

    for (File* f : {&jsonl_, &csv_}) {
        if (f->handle == nullptr) continue;
        const int rc = std::fclose(f->handle);
        f->handle = nullptr;
        if (rc != 0) throw ReportError(one_line_error("cannot write", f->path, errno));
    }

    try {
        write_file_atomically(dir_ / run_folder_names::summary,
                              redact(json::serialize(summary)) + "\n", 0600);
    } catch (const FileError& e) {
        throw ReportError(e.what());
    }
    return RunSummary::read(std::move(summary));
}

}  // namespace rcbatch::engine
