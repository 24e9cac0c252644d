#pragma once
// One order of a batch as its selection hands it over, and the streaming source it comes
// from: plain types, apart from batch.hpp, so a reader or writer of targets needs no Asio.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace rcbatch::engine {

struct Target {
    std::uint64_t seq = 0;      // position in the batch, from 0
    std::string given;          // as the user gave it (id, domain name, file line)
    std::string id;             // the order id when known
    boost::json::object extra;  // whatever the selector wants the action to see
};

// A synchronous pull, so a file can be streamed line by line. nullopt: no more targets.
// An exception stops the run (an environment failure) and is rethrown by run().
class TargetSource {
  public:
    virtual ~TargetSource() = default;
    virtual std::optional<Target> next() = 0;
};

}  // namespace rcbatch::engine
