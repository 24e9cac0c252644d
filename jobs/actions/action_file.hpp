#pragma once
// Reads and checks one action file (README "Action files"): every mistake is one located line
// "FILE:LINE:COL: key: message", with "did you mean" for a mistyped key or value. The checks
// keep safety out of the file's hands: a read is a GET, a paid change has a fence or evidence,
// a fenced parameter cannot be set by a job.

#include "engine/text/diagnostics.hpp"
#include "jobs/actions/declaration.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

struct ActionFileRead {
    std::optional<Declaration> declaration;  // set only when `errors` is empty
    engine::Diagnostics errors;
};

// The action a [preflight] read names, or nullptr (the registry's lookup).
using FindAction = std::function<const ActionSpec*(std::string_view name)>;

// Reads `text`, the bytes of `file`; `origin` is where it came from ("built-in", "user",
// "profile"). Never throws for a mistake in the file.
ActionFileRead read_action_file(std::string_view text, const std::string& file, std::string origin,
                                const FindAction& find);

// Whether `name` is an action name: two or more lower-case words joined by '.', each of
// letters, digits and '-' ("domain.renew", "dns.add-txt-record").
bool valid_action_name(std::string_view name);

}  // namespace rcbatch::jobs
