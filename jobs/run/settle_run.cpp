#include "jobs/run/settle_run.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/report/result_record.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_lines.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/run/settle_record.hpp"
#include "jobs/run_folder/json_lines.hpp"
#include "jobs/run_folder/result_columns.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <set>

namespace rcbatch::jobs {

namespace asio = boost::asio;
namespace json = boost::json;
using engine::Outcome;

namespace {

// The first intent line of each of `seqs` in the journal.
std::map<std::uint64_t, json::object> first_intents(const std::filesystem::path& journal,
                                                    const std::set<std::uint64_t>& seqs) {
    std::map<std::uint64_t, json::object> found;
    JsonLineReader in(journal);
    while (auto line = in.next()) {
        if (line->damaged() ||
            engine::journal_line_kind(*line->object) != engine::JournalLine::intent)
            continue;
        const auto seq = engine::journal_line_seq(*line->object);
        if (seq && seqs.contains(*seq)) found.try_emplace(*seq, std::move(*line->object));
    }
    return found;
}

class VectorSource final : public engine::TargetSource {
  public:
    explicit VectorSource(std::vector<engine::Target> targets) : targets_(std::move(targets)) {}
    std::optional<engine::Target> next() override {
        if (at_ == targets_.size()) return std::nullopt;
        return std::move(targets_[at_++]);
    }

  private:
    std::vector<engine::Target> targets_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<engine::Target> doubted_targets(const std::filesystem::path& dir,
                                            const engine::JournalScan& scan,
                                            std::uint64_t& no_intent) {
    const RunFolder folder(dir);
    std::set<std::uint64_t> unknown;
    engine::for_each_last_result(folder.journal(), scan, true, [&](const engine::OrderResult& r) {
        if (r.outcome == Outcome::unknown) unknown.insert(r.seq);
    });
    const auto intents = first_intents(folder.journal(), unknown);
    no_intent = 0;
    std::vector<engine::Target> doubted;
    TargetsFileSource targets(folder.targets());
    while (auto target = targets.next()) {
        json::object intent;
        if (auto open = scan.open_intents.find(target->seq); open != scan.open_intents.end())
            intent = open->second;
        else if (auto first = intents.find(target->seq); first != intents.end())
            intent = first->second;
        else if (unknown.contains(target->seq))
            ++no_intent;  // looking from no time at all could take any old action for proof
        if (intent.empty()) continue;
        target->extra["intent"] = std::move(intent);
        doubted.push_back(std::move(*target));
    }
    return doubted;
}

SettleOutcome settle_run(SettleRequest request) {
    const RunFolder folder(request.dir);
    SettleOutcome outcome;
    const engine::JournalScan before = engine::scan_journal(folder.journal());
    std::vector<engine::Target> doubted = doubted_targets(request.dir, before, outcome.no_intent);
    std::map<std::uint64_t, json::object> intents;  // a verdict that reopens an order keeps it
    for (const auto& t : doubted) intents[t.seq] = t.extra.at("intent").as_object();
    outcome.looked_up = doubted.size();

    asio::io_context ioc;
    std::vector<engine::OrderResult> verdicts;
    {
        engine::Journal journal(ioc.get_executor(), folder.journal());
        auto sink = [&](const engine::OrderResult& r) {
            // Orders the run's stop left (not_run, cancelled) keep their doubt.
            if (!engine::is_final(r.outcome) && string_field(r.fields, "change") != "not_applied")
                return;
            engine::OrderResult verdict = r;
            verdict.fields["settled_at"] = engine::iso8601_utc(std::chrono::system_clock::now());
            const std::string record = json::serialize(engine::to_json(verdict));
            const std::string reopen = verdict.outcome == Outcome::not_run
                                           ? json::serialize(intents.at(verdict.seq))
                                           : std::string();
            journal.write(engine::journal_settle_line(record, verdict.retries, reopen));
            outcome.applied += verdict.outcome == Outcome::ok;
            outcome.not_applied += verdict.outcome == Outcome::not_run;
            outcome.unknown += verdict.outcome == Outcome::unknown;
            if (request.on_verdict) request.on_verdict(verdict);
            verdicts.push_back(std::move(verdict));
        };
        engine::Batch batch(ioc.get_executor(), request.batch, make_order_fn(request.action), sink);
        VectorSource source(std::move(doubted));
        std::exception_ptr failure;
        asio::co_spawn(ioc, batch.run(source), [&](std::exception_ptr e, engine::BatchStats s) {
            failure = e;
            outcome.stop = s.stopped;
            outcome.stop_message = s.stop_message;
        });
        ioc.run();
        journal.close();
        if (failure) std::rethrow_exception(failure);
    }
    outcome.summary =
        rebuild_reports(request.dir, *request.action->spec, request.target_columns, outcome);
    record_verdicts(request.state_dir, request.dir, string_field(before.header, "uid"), verdicts);
    return outcome;
}

}  // namespace rcbatch::jobs
