#pragma once
// What the run folder tests share: journals, summaries and records written by hand into a temporary
// folder.

#include "engine/store/job_lock.hpp"
#include "jobs/run_folder/read_back.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::engine::ExitCode;
using rcbatch::engine::Outcome;
using rcbatch::jobs::FolderKind;
using rcbatch::jobs::read_run_folder;
using rcbatch::jobs::ReportOptions;
using rcbatch::jobs::RunFolderError;
using rcbatch::jobs::RunState;
using rcbatch::test::count_lines;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

inline std::string header(std::uint64_t targets, std::string_view action = "backup.renew",
                          std::string_view uid = "") {
    json::object h{{"type", "run"},      {"job", "renew"},
                   {"action", action},   {"params", json::object{{"months", 12}}},
                   {"targets", targets}, {"started", "2026-11-27T10:00:00.000Z"},
                   {"pid", 4242}};
    if (!uid.empty()) h["uid"] = uid;
    return json::serialize(h);
}

inline json::object record(std::uint64_t seq, std::string_view outcome,
                           std::string_view message = "") {
    const std::string id = std::to_string(91000000 + seq);
    return {{"seq", seq},         {"order", id},
            {"target", id},       {"action", "backup.renew"},
            {"outcome", outcome}, {"http_status", 200},
            {"message", message}, {"fields", json::object{}},
            {"attempts", 1},      {"reconciled", false},
            {"latency_ms", 12},   {"started", nullptr},
            {"finished", nullptr}};
}

inline std::string result(std::uint64_t seq, std::string_view outcome,
                          std::string_view message = "") {
    json::object o = record(seq, outcome, message);
    o["type"] = "result";
    o["retries"] = 0;
    return json::serialize(o);
}

inline std::string intent(std::uint64_t seq) {
    return json::serialize(json::object{{"type", "intent"},
                                        {"seq", seq},
                                        {"attempt", 1},
                                        {"order", std::to_string(91000000 + seq)},
                                        {"action", "backup.renew"}});
}

inline std::string resume() {
    return R"({"type":"resume","at":"2026-11-27T11:00:00.000Z","pid":4343})";
}

inline void write(const fs::path& path, std::initializer_list<std::string> lines,
                  bool cut_last_newline = false) {
    std::ofstream out(path, std::ios::binary);
    std::size_t i = 0;
    for (const std::string& line : lines) {
        out << line;
        if (++i < lines.size() || !cut_last_newline) out << '\n';
    }
}

inline std::string summary(std::string_view stop_reason, bool dry_run = false) {
    return json::serialize(json::object{{"job", "renew"},
                                        {"action", "backup.renew"},
                                        {"stop_reason", stop_reason},
                                        {"dry_run", dry_run}});
}

// A run folder <tmp>/renew/<time>/, as rcbatch makes it.
inline fs::path run_dir(const TempDir& tmp, std::string_view name = "20261127T100000Z") {
    const fs::path dir = tmp.path / "renew" / std::string(name);
    fs::create_directories(dir);
    return dir;
}

}  // namespace
