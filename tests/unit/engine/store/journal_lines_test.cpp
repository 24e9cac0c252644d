#include "engine/store/journal_lines.hpp"

#include "engine/store/journal_scan.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <fstream>

namespace journal_lines_test {

namespace json = boost::json;
using namespace rcbatch::engine;
using rcbatch::test::TempDir;

namespace {
json::object parsed(const std::string& line) { return json::parse(line).as_object(); }
}  // namespace

TEST_CASE("journal lines: every kind built here is read back as that kind") {
    const json::object header = journal_run_line({{"job", "j"}, {"targets", 2}, {"type", "x"}});
    CHECK(journal_line_kind(header) == JournalLine::run);
    CHECK(journal_header_targets(header) == 2u);
    CHECK(json::serialize(header).starts_with(R"({"type":"run",)"));

    const json::object resume = journal_resume_line(std::chrono::system_clock::now());
    CHECK(journal_line_kind(resume) == JournalLine::resume);
    CHECK(resume.contains("pid"));

    const std::string intent = journal_intent_line(7, 2, R"("order":"91","at":"T")");
    CHECK(journal_line_kind(parsed(intent)) == JournalLine::intent);
    CHECK(journal_line_seq(parsed(intent)) == 7u);
    CHECK(parsed(intent).at("attempt").as_int64() == 2);
    CHECK(journal_line_kind(parsed(journal_intent_line(0, 1, ""))) == JournalLine::intent);

    const std::string record = R"({"seq":1,"outcome":"ok"})";
    const std::string result = journal_result_line(record, 3);
    CHECK(journal_line_kind(parsed(result)) == JournalLine::result);
    CHECK(parsed(result).at("retries").as_int64() == 3);
    CHECK(may_be_result_line(result));

    std::string settle = journal_settle_line(record, 0, intent);
    json::object settled = parsed(settle);
    CHECK(journal_line_kind(settled) == JournalLine::settle);
    CHECK(may_be_result_line(settle));
    REQUIRE(reopened_intent(settled) != nullptr);
    CHECK(journal_line_seq(*reopened_intent(settled)) == 7u);
    json::object plain_settle = parsed(journal_settle_line(record, 0, ""));
    CHECK(reopened_intent(plain_settle) == nullptr);

    CHECK_FALSE(may_be_result_line(intent));
    for (JournalLine kind : {JournalLine::run, JournalLine::resume, JournalLine::intent,
                             JournalLine::result, JournalLine::settle})
        CHECK(journal_line_kind(json::object{{"type", to_string(kind)}}) == kind);
}

TEST_CASE("journal lines: a line of no known kind, or a seq that is not a count, is other") {
    CHECK(journal_line_kind(json::object{}) == JournalLine::other);
    CHECK(journal_line_kind(json::object{{"type", 3}}) == JournalLine::other);
    CHECK(journal_line_kind(json::object{{"type", "Result"}}) == JournalLine::other);
    CHECK(to_string(JournalLine::other) == "other");
    CHECK_FALSE(journal_line_seq(json::object{{"seq", -1}}).has_value());
    CHECK_FALSE(journal_line_seq(json::object{{"seq", "1"}}).has_value());
    CHECK_FALSE(journal_line_seq(json::object{{"seq", 1.0}}).has_value());
}

TEST_CASE("journal lines: the scan reads a journal written only with these builders") {
    TempDir dir("rcbatch-journal-lines");
    const auto path = dir.path / "journal.jsonl";
    {
        std::ofstream out(path);
        out << json::serialize(journal_run_line({{"targets", 2}})) << '\n'
            << journal_intent_line(0, 1, R"("order":"1")") << '\n'
            << journal_result_line(R"({"seq":0,"outcome":"ok"})", 0) << '\n'
            << journal_intent_line(1, 1, R"("order":"2")") << '\n'
            << json::serialize(journal_resume_line(std::chrono::system_clock::now())) << '\n'
            << journal_settle_line(R"({"seq":0,"outcome":"not_run"})", 0,
                                   journal_intent_line(0, 1, R"("order":"1")"))
            << '\n';
    }
    const JournalScan scan = scan_journal(path);
    CHECK(scan.sessions == 2);
    CHECK(scan.targets == 2);
    CHECK_FALSE(scan.is_final(0));  // reopened by the settle line
    CHECK(scan.open_intents.size() == 2);
    CHECK(scan.damaged_lines == 0);
}

}  // namespace journal_lines_test
