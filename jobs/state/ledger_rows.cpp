#include "jobs/state/ledger_rows.hpp"

namespace rcbatch::jobs {

RunEntry read_run(const SqliteStatement& s) {
    RunEntry r;
    r.id = s.integer(0);
    r.folder = s.text(1);
    r.job = s.text(2);
    r.job_file = s.text(3);
    r.account = s.text(4);
    r.action = s.text(5);
    r.kind = s.text(6);
    r.started = s.integer(7);
    r.finished = s.integer(8);
    r.sessions = s.integer(9);
    r.stop_reason = s.text(10);
    r.outcomes = s.text(11);
    r.targets = s.integer(12);
    r.uid = s.text(13);
    return r;
}

ChangeEntry read_change(const SqliteStatement& s) {
    ChangeEntry c;
    c.id = s.integer(0);
    c.run = s.integer(1);
    c.account = s.text(2);
    c.order_id = s.text(3);
    c.action = s.text(4);
    c.intent_at = s.integer(5);
    c.outcome = s.text(6);
    c.evidence = s.text(7);
    c.eaqid = s.text(8);
    c.finished_at = s.integer(9);
    c.job = s.text(10);
    c.folder = s.text(11);
    c.job_file = s.text(12);
    c.amount = s.text(13);
    c.currency = s.text(14);
    c.invoice = s.text(15);
    c.term = s.text(16);
    c.target = s.text(17);
    return c;
}

}  // namespace rcbatch::jobs
