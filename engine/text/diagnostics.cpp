#include "engine/text/diagnostics.hpp"

#include "engine/text/display_text.hpp"

namespace rcbatch::engine {

std::string format(const Diagnostic& d) {
    std::string out = d.file;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += ": ";
    out += d.message;
    return printable(out);
}

}  // namespace rcbatch::engine
