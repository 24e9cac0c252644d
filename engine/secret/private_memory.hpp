#pragma once
// Keeping the API key out of memory other processes or files can see (README "The key in
// memory"): no core dump and no ptrace attachment for the whole process, and the key's copies
// overwritten before their memory is freed. What is and is not cleared is listed there.

#include <string>
#include <utility>

namespace rcbatch::engine {

// Turns off core dumps (RLIMIT_CORE 0, the hard limit too, so no child can raise it) and makes
// the process not dumpable (prctl PR_SET_DUMPABLE 0: processes of the same user can no longer
// attach with ptrace or read /proc/PID/mem). Call first thing in main. Returns false when
// either call failed (the process goes on; nothing else depends on it).
bool keep_memory_private() noexcept;

// Overwrites every byte `text` owns (up to its capacity) with a write the compiler keeps, then
// empties it.
void wipe(std::string& text) noexcept;

// A std::string whose bytes are overwritten before its memory is freed or reused: each copy
// of the API key a run keeps (the profile's, the action's, each request's parameters).
class WipedString : public std::string {
  public:
    WipedString() = default;
    WipedString(std::string&& text) noexcept : std::string(std::move(text)) {}
    WipedString(const std::string& text) : std::string(text) {}
    WipedString(const char* text) : std::string(text) {}
    WipedString(const WipedString&) = default;
    WipedString(WipedString&&) noexcept = default;
    WipedString& operator=(const WipedString& other);
    WipedString& operator=(WipedString&& other) noexcept;
    ~WipedString() { wipe(*this); }
};

}  // namespace rcbatch::engine
