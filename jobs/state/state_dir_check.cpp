#include "jobs/state/state_dir_check.hpp"

#include "engine/text/shell_word.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/state_dir.hpp"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::jobs {

namespace {
std::string user_name(unsigned uid) {
    if (const passwd* pw = ::getpwuid(uid); pw != nullptr && pw->pw_name != nullptr)
        return pw->pw_name;
    return "uid " + std::to_string(uid);
}

std::string octal(unsigned mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", mode);
    return buf;
}

// Why it matters, said once for every refusal.
constexpr const char* stakes =
    "whoever can write it can forge or remove the record that keeps a change from being sent "
    "twice";
}  // namespace

std::optional<std::string> state_dir_refusal(const std::filesystem::path& dir,
                                             const StateDirFacts& facts) {
    const std::string shown = engine::shell_word(dir.string());
    if (!facts.is_dir) return "the state directory " + shown + " is not a folder";
    const bool trusted_owner = facts.owner == facts.caller || facts.owner == 0 ||
                               (facts.account && facts.owner == *facts.account);
    if (!trusted_owner)
        return "the state directory " + shown + " belongs to " + facts.owner_name +
               ", not to you (" + facts.caller_name + "), root or the " + state_account +
               " account: " + stakes +
               "; use a folder of your own (RCBATCH_STATE_DIR), or have root run: chown " +
               engine::shell_word(facts.caller_name) + " " + shown;
    if ((facts.mode & S_IWOTH) != 0)
        return "the state directory " + shown + " can be written by every user (mode " +
               octal(facts.mode) + "): " + stakes + "; run: chmod o-w " + shown;
    return std::nullopt;
}

std::optional<std::string> state_dir_refusal(const std::filesystem::path& dir) {
    if (dir.is_relative())
        return "RCBATCH_STATE_DIR=" + engine::shell_word(dir.string()) +
               " is a relative path, which would move with the working directory (and the "
               "ledger and locks with it): set it to an absolute one, e.g. RCBATCH_STATE_DIR=" +
               engine::shell_word(std::filesystem::absolute(dir).lexically_normal().string());
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        return "the state directory " + engine::shell_word(dir.string()) + " cannot be examined (" +
               std::strerror(errno) + ")";
    }
    StateDirFacts facts;
    facts.is_dir = S_ISDIR(st.st_mode);
    facts.mode = st.st_mode & 07777;
    facts.owner = st.st_uid;
    facts.caller = ::geteuid();
    if (const passwd* pw = ::getpwnam(state_account)) facts.account = pw->pw_uid;
    facts.owner_name = user_name(facts.owner);
    facts.caller_name = user_name(facts.caller);
    return state_dir_refusal(dir, facts);
}

void open_state_dir(const std::filesystem::path& dir) {
    if (auto why = state_dir_refusal(dir)) throw StateDirError(*why);  // before making any of it
    make_private_dir(dir);
    if (auto why = state_dir_refusal(dir)) throw StateDirError(*why);  // as it is now
}

std::string ledger_refusal(const std::filesystem::path& state_dir, const std::string& cause) {
    const std::string dir = engine::shell_word(state_dir.string());
    const std::string file = Ledger::file_name;
    return "the ledger in " + dir + " cannot be used: " + cause +
           "; nothing was sent. Keep this state directory (another starts an empty ledger, "
           "which knows none of the changes already sent, and the guard against sending one "
           "twice is lost): if another rcbatch holds it, wait; if it is damaged, copy what can "
           "be read into a new one in place with the sqlite3 tool, no run going on: cd " +
           dir + " && sqlite3 " + file + " .dump > ledger.sql && mkdir damaged && mv " + file +
           "* damaged/ && sqlite3 " + file +
           " < ledger.sql (a dump that ends in ROLLBACK met damage: make that line COMMIT)";
}

}  // namespace rcbatch::jobs
