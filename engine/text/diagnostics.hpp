#pragma once
// A located, one-line message about a user's file: FILE:LINE:COLUMN: message.

#include <string>
#include <vector>

namespace rcbatch::engine {

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 when the whole file is meant
    int column = 0;  // 1-based; 0 when unknown
    std::string message;
};

// "FILE:LINE:COLUMN: message" (LINE and COLUMN left out when unknown), made printable: a
// control or bidi character echoed from the file is escaped (engine::printable).
std::string format(const Diagnostic& d);

// Every error found in one or more files, in the order found.
using Diagnostics = std::vector<Diagnostic>;

}  // namespace rcbatch::engine
