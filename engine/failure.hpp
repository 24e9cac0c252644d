#pragma once
// One vocabulary for what can fail beside an order's Outcome (outcome.hpp): a std::error_code of
// the "rcbatch" category, whose value says what failed and so the exit code it ends in
// (exit_code_of: the one mapping from a failure to an exit code), with the one line for a
// person beside it (Error). Every exception rcbatch throws for a user's file, a run's own
// files, the journal or the state directory is an Error, so a command's last catch needs no
// knowledge of which layer threw.

#include "engine/outcome.hpp"

#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace rcbatch::engine {

enum class Failure {
    bad_input = 1,         // a job, profile, flag, target file or run folder that is wrong: 2
    locked,                // another run holds the job's lock: 4
    selection_incomplete,  // a listing or search could not name every target: 1
    stopped,               // a fatal answer or pages that cannot be trusted stopped it: 3
    files,                 // the run's own files cannot be written (a full disk, a size limit): 3
    journal,               // the journal cannot be written, or read back to resume: 3
    state,                 // the state directory's ledger cannot be opened or written: 3
};

const std::error_category& failure_category() noexcept;
std::error_code make_error_code(Failure failure) noexcept;

// The exit code (DESIGN.md "Exit codes") a failure ends a command with. No code (success) is
// ok; a code of another category (an errno, an Asio error) is aborted (3): resumable.
ExitCode exit_code_of(std::error_code code) noexcept;

// A failure as a value, for what returns rather than throws: no code when all went well, else
// the failure and its one line (never an empty string taken for success).
struct Fault {
    std::error_code code;
    std::string text;

    explicit operator bool() const noexcept { return static_cast<bool>(code); }
};

inline Fault fault(Failure failure, std::string text) {
    return {make_error_code(failure), std::move(text)};
}

// A failure and its one line for a person, naming the file, line and key or the order.
class Error : public std::runtime_error {
  public:
    Error(Failure failure, const std::string& text)
        : std::runtime_error(text), code_(make_error_code(failure)) {}
    const std::error_code& code() const noexcept { return code_; }

  private:
    std::error_code code_;
};

}  // namespace rcbatch::engine

template <>
struct std::is_error_code_enum<rcbatch::engine::Failure> : std::true_type {};
