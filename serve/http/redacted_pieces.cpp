#include "serve/http/redacted_pieces.hpp"

#include "engine/secret/redact.hpp"

namespace rcbatch::serve {

std::string RedactedPieces::add(std::string_view bytes) {
    pending_.append(bytes);
    const std::size_t end = pending_.rfind('\n');
    std::size_t cut = end == std::string::npos ? 0 : end + 1;
    if (pending_.size() - cut > longest_line_) cut = pending_.size();
    if (cut == 0) return {};
    std::string out =
        engine::mask_key_like(engine::redact(std::string_view(pending_).substr(0, cut)));
    pending_.erase(0, cut);
    return out;
}

std::string RedactedPieces::finish() {
    std::string out = engine::mask_key_like(engine::redact(pending_));
    pending_.clear();
    return out;
}

}  // namespace rcbatch::serve
