#pragma once
// A journal that cannot be written or read (journal.hpp writes it, journal_scan.hpp reads it).

#include "engine/failure.hpp"

namespace rcbatch::engine {

class JournalError : public Error {
  public:
    explicit JournalError(const std::string& text) : Error(Failure::journal, text) {}
};

}  // namespace rcbatch::engine
