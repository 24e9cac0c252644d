#pragma once
// A journal that cannot be written or read (journal.hpp writes it, journal_scan.hpp reads it).

#include <stdexcept>

namespace rcbatch::engine {

class JournalError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace rcbatch::engine
