#pragma once
// Reading a run's journal.jsonl back (for `run --resume` and `rcbatch report`): which orders
// have a final result, which have an intent but none, and the last result of each order. A
// `settle` line (rcbatch settle: a later verdict from the evidence) is a result that replaces
// even a final one; one that reopens the order carries its intent ("intent").
// Memory: a few bytes per order of the batch, plus the open intents (at most the orders that
// were in flight when the run died). Knows no API.

#include "engine/batch/order_result.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rcbatch::engine {

struct JournalScan {
    boost::json::object header;  // the {"type":"run", ...} line that starts the journal
    std::uint64_t targets = 0;   // the header's count of targets
    std::uint64_t sessions = 0;  // the first run and each resume
    // Per seq: the line number (from 1) of its last result line, 0 when it has none, and
    // whether that result is final (engine::is_final).
    std::vector<std::uint32_t> last_result;
    std::vector<bool> final_result;
    // The first intent line of every order that has an intent and no final result.
    std::map<std::uint64_t, boost::json::object> open_intents;
    std::uint64_t final_orders = 0;  // orders with a final result
    // Lines that could not be read. A line cut short by a crash (the last one, or the one
    // just before a resume line) is not counted; any other is.
    std::uint64_t damaged_lines = 0;

    bool is_final(std::uint64_t seq) const {
        return seq < final_result.size() && final_result[seq];
    }
};

// Reads `path` once. Throws JournalError (journal.hpp) naming the file when it cannot be
// read, has no header line, or names an order beyond the header's count.
JournalScan scan_journal(const std::filesystem::path& path);

// Reads `path` again and calls `each` with the last result of every order, in journal order;
// with `finals_only`, only the final ones. Throws JournalError when the file cannot be read.
void for_each_last_result(const std::filesystem::path& path, const JournalScan& scan,
                          bool finals_only, const std::function<void(const OrderResult&)>& each);

}  // namespace rcbatch::engine
