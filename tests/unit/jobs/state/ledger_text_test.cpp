// `rcbatch runs` and `rcbatch history` text (jobs/state/ledger_text.hpp): every field from the
// ledger or the API's action lists is shown escaped and bounded, so a server's eaqid,
// evidence or description cannot forge a line, move the cursor or set the title (issue #20).

#include "jobs/state/ledger_text.hpp"

#include <doctest/doctest.h>

namespace ledger_text_test {

using namespace rcbatch::jobs;

namespace {
ChangeEntry hostile_change() {
    ChangeEntry c;
    c.account = "7";
    c.order_id = "60442031";
    c.action = "backup.renew";
    c.intent_at = 1'790'000'000;
    c.outcome = "ok";
    c.eaqid = "555\x1b]0;owned\x07";
    c.evidence = "applied\r\nFAKE: renewed 999 orders\x1b[2J";
    c.job = "renew";
    c.folder = "/home/r/runs/renew-1";
    c.amount = "-15.000";
    c.currency = "US\nFAKE: charged nothing";
    c.invoice = "7000\x1b[1A";
    c.term = std::string(5000, 'm');
    return c;
}

// No byte of `text` can act on a terminal: its only control characters are its own newlines.
bool only_newlines(const std::string& text) {
    for (char c : text)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) return false;
    return true;
}
}  // namespace

TEST_SUITE("ledger text: hostile fields") {
    TEST_CASE("history: the server's eaqid, evidence and money cannot forge a line") {
        const std::string text = history_text("60442031", {hostile_change()}, nullptr);
        CAPTURE(text);
        CHECK(only_newlines(text));
        CHECK(text.find("\nFAKE") == std::string::npos);
        CHECK(text.find("action 555\\x1b]0;owned\\x07") != std::string::npos);
        CHECK(text.find("applied\\x0d\\x0aFAKE: renewed 999 orders\\x1b[2J") != std::string::npos);
        CHECK(text.find("US\\x0aFAKE: charged nothing -15.000") != std::string::npos);
        CHECK(text.find("invoice 7000\\x1b[1A") != std::string::npos);
        // A 5000-byte term: its start and its length, never all of it.
        CHECK(text.find("\u2026 (5000 bytes)") != std::string::npos);
        CHECK(text.size() < 1200);
    }

    TEST_CASE("history: another client's action from the API's list is escaped too") {
        LoggedAction a;
        a.eaqid = "9\x1b[2J";
        a.type = "Renew\rFAKE";
        a.status = "Success";
        a.added = 1'790'000'100;
        a.description = "Renewal\nFAKE: ok 999";
        const std::vector<LoggedAction> log{a};
        const std::string text = history_text("60442031", {}, &log);
        CAPTURE(text);
        CHECK(only_newlines(text));
        CHECK(text.find("Renew\\x0dFAKE") != std::string::npos);
        CHECK(text.find("action 9\\x1b[2J") != std::string::npos);
        CHECK(text.find("Renewal\\x0aFAKE: ok 999") != std::string::npos);
    }

    TEST_CASE("runs: a job name or folder with control characters stays on its line") {
        RunEntry r;
        r.job = "renew\x1b[2J";
        r.kind = "run";
        r.action = "backup.renew";
        r.account = "7";
        r.folder = "/tmp/r\nFAKE";
        r.started = 1'790'000'000;
        r.outcomes = R"({"ok\u001b[2J":3})";
        const std::string text = runs_text({r});
        CAPTURE(text);
        CHECK(only_newlines(text));
        CHECK(text.find("renew\\x1b[2J") != std::string::npos);
        CHECK(text.find("/tmp/r\\x0aFAKE") != std::string::npos);
        CHECK(text.find("ok\\x1b[2J 3") != std::string::npos);
    }

    TEST_CASE("history: plain fields are shown as they are") {
        ChangeEntry c = hostile_change();
        c.eaqid = "555";
        c.evidence = "applied (the reply)";
        c.currency = "USD";
        c.invoice = "7000";
        c.term = "12 months";
        const std::string text = history_text("60442031", {c}, nullptr);
        CHECK(text.find("action 555  USD -15.000, invoice 7000, 12 months  job renew  7\n") !=
              std::string::npos);
        CHECK(text.find("\n    applied (the reply)\n") != std::string::npos);
    }
}

}  // namespace ledger_text_test
