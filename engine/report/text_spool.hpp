#pragma once
// Text put aside now and read back later, in pieces, from an unnamed temporary file (O_TMPFILE
// in $TMPDIR or /tmp: no name anyone could plant or find, gone when closed), so that what a
// report holds back (report.html's table rows, up to some MiB) does not sit in memory. Where
// no such file can be made, the text stays in memory.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

class TextSpool {
  public:
    TextSpool() = default;
    ~TextSpool();
    TextSpool(const TextSpool&) = delete;
    TextSpool& operator=(const TextSpool&) = delete;

    // Throws std::runtime_error when the temporary file cannot be written (a full disk).
    void append(std::string_view text);
    // Everything appended, in order, in pieces of at most a few dozen KiB. Throws
    // std::runtime_error when the temporary file cannot be read back.
    void read(const std::function<void(std::string_view)>& put) const;
    bool empty() const noexcept { return written_ == 0 && pending_.empty(); }

  private:
    void flush();

    int fd_ = -1;
    bool in_memory_ = false;  // no temporary file could be made: `pending_` holds it all
    std::uint64_t written_ = 0;
    std::string pending_;  // appended, not yet written
};

}  // namespace rcbatch::engine
