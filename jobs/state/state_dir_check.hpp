#pragma once
// Whether a folder may hold the state (the ledger that keeps a change from being sent twice
// across runs, and the job locks): anyone who can write it can forge or remove that record. A
// folder that users outside its owner and group can write, or whose owner is neither the
// caller, root, nor the `rcbatch` account (the shared state directory the package installs:
// group rcbatch, setgid, mode 2770), is refused with the command that fixes it; so is a
// relative $RCBATCH_STATE_DIR, which would move with the working directory.

#include "engine/failure.hpp"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace rcbatch::jobs {

// The account the shared state directory may belong to.
inline constexpr const char* state_account = "rcbatch";

// A state directory that must not hold the state (its owner or mode): the user's to fix.
class StateDirError : public engine::Error {
  public:
    explicit StateDirError(const std::string& text) : Error(engine::Failure::bad_input, text) {}
};

// What decides it, from stat(2) and who asks.
struct StateDirFacts {
    bool is_dir = true;
    unsigned mode = 0700;             // permission bits (st_mode & 07777)
    unsigned owner = 0;               // st_uid
    unsigned caller = 0;              // geteuid()
    std::optional<unsigned> account;  // the uid of the `rcbatch` account, when there is one
    std::string owner_name;           // for the message ("uid 1001" when it has none)
    std::string caller_name;
};

// Why a folder `dir` with `facts` must not hold the state: one line with the command that
// fixes it; nullopt when it may.
std::optional<std::string> state_dir_refusal(const std::filesystem::path& dir,
                                             const StateDirFacts& facts);

// The same for `dir` as it is on disk; nullopt too when it does not exist yet (rcbatch makes it
// 0700, the caller's). A relative path is refused.
std::optional<std::string> state_dir_refusal(const std::filesystem::path& dir);

// Makes `dir` and its missing parents 0700 (make_private_dir) and checks it. Throws
// StateDirError with the refusal, std::runtime_error when it cannot be made.
void open_state_dir(const std::filesystem::path& dir);

// The one line for a ledger that cannot be opened (`cause`): nothing was sent, and how to
// recover it in place — never by pointing RCBATCH_STATE_DIR elsewhere, which would start an
// empty ledger that knows none of the changes already sent.
std::string ledger_refusal(const std::filesystem::path& state_dir, const std::string& cause);

}  // namespace rcbatch::jobs
