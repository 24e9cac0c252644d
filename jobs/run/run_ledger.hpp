#pragma once
// The ledger as one run uses it (DESIGN.md: the ledger is written with the journal's group
// commit): the run's row, its account and the cross-run guard. It is the journal's group
// companion, so every claim and settle runs on the journal's disk thread inside one SQLite
// transaction per group.

#include "engine/batch/order_result.hpp"
#include "engine/store/journal.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/order/order_flow.hpp"
#include "jobs/state/ledger.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

namespace rcbatch::jobs {

class RunLedger final : public engine::GroupCompanion {
  public:
    // `job`: the run's own job, whose lock it holds (the ledger's folder holds the locks).
    RunLedger(std::shared_ptr<Ledger> ledger, std::int64_t run_id, std::string account,
              std::chrono::seconds repeat_guard, std::string job = {});

    void begin_group() override;
    void commit_group() override;

    // On the disk thread, inside a group: granted when the change of `spec` on `order_id` may
    // leave (its intent is recorded, unless `record` is false: a change the account's actions
    // show, which is skipped), else why not (another live run's open intent, a recent change),
    // or the open intent of a dead run for the flow to settle first (`dead`). A dead run's
    // intent its journal settles (never sent, or a result the ledger missed) is closed here.
    // `settled`: a dead intent the flow found not applied, closed first.
    // `continues_intent`: the order's flow continues this run's own earlier intent on it.
    // `target`: the target as the user gave it (an id or a domain name), recorded with the intent.
    ClaimAnswer claim(const std::string& order_id, const ActionSpec& spec, std::int64_t now,
                      const IntentVerdict* settled = nullptr, bool record = true,
                      bool continues_intent = false, const std::string& target = {});
    // The same question read-only, for a plan: a dead run's intent is a refusal, not settled.
    ClaimAnswer check(const std::string& order_id, const ActionSpec& spec, std::int64_t now);
    // "job J (FOLDER)" when a run in the ledger made the change whose action id is `eaqid`,
    // else "".
    std::string made_by(const std::string& eaqid, const std::string& order_id);
    // On the disk thread, inside a group: closes the run's open intent on the record's order,
    // and the dead run's intent the order settled (its fields' "settled_intent").
    void settle(const engine::OrderResult& result, std::int64_t now);

    // The term the run's changes are for ("12 months"), unless an order's own parameters say
    // another: recorded with each change beside its amount and invoice.
    void set_default_term(std::string term) { default_term_ = std::move(term); }

    std::int64_t run_id() const noexcept { return run_id_; }
    const std::string& account() const noexcept { return account_; }

  private:
    bool alive(const ChangeEntry& change) const;
    // Closes a dead run's intent unless its run came back meanwhile.
    void close_dead(std::int64_t change, const std::string& outcome, const std::string& evidence,
                    const std::string& eaqid, std::int64_t now);

    std::shared_ptr<Ledger> ledger_;
    // Orders this session claimed and has not settled: bounded by the orders in flight.
    std::set<std::string> in_flight_;
    std::int64_t run_id_;
    std::string account_;
    std::chrono::seconds repeat_guard_;
    std::string job_;
    std::string default_term_;
};

// What a change's record says of its money and term (its reply's invoice fields, its own
// parameters' term, else `default_term`).
ChangeMoney change_money(const boost::json::object& fields, const std::string& default_term);

// Why the guard refused a change: "renewed by job J (FOLDER) at T (repeat-guard 24 h)", or
// for an open intent "job J (FOLDER) has had a renew in doubt on this order since T: ...".
std::string guard_refusal(const LedgerVerdict& verdict, const ActionSpec& spec,
                          std::chrono::seconds repeat_guard);

}  // namespace rcbatch::jobs
