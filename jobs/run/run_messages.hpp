#pragma once
// What run_job says while it runs beyond progress: one-line messages, as text or as JSON
// events, and the advice for a fatal answer (which a refusal's message and the end-of-run
// text, cli/run_end_text.hpp, both give).

#include "engine/report/progress.hpp"

#include <ostream>
#include <string>

namespace rcbatch::jobs {

// What to tell the user about a fatal stop: a TLS or proxy failure (its message says what to
// fix), or refused credentials.
std::string fatal_advice(const std::string& message);

// One "rcbatch run: MESSAGE" line (the command options.command names), or a JSON log event with
// --log-format json.
void print_run_message(std::ostream& out, const engine::ProgressOptions& options,
                       const std::string& message);

}  // namespace rcbatch::jobs
