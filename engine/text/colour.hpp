#pragma once
// Colour for people at a terminal: outcomes and the progress bar painted with ANSI SGR codes,
// only when the text goes to a terminal and NO_COLOR (https://no-color.org) is not set. The
// painters are pure: they add escape codes around what they recognise and change nothing else.

#include "engine/outcome.hpp"

#include <string>
#include <string_view>

namespace rcbatch::engine {

// Whether to colour text for a stream: a terminal, and NO_COLOR unset or empty.
bool colour_wanted(bool is_terminal, const char* no_color) noexcept;
// The same for file descriptor `fd` and the process's environment.
bool colour_wanted(int fd) noexcept;

// The SGR parameters of an outcome: green ok, red failures, yellow unknown, cyan skipped,
// dim not_run and cancelled.
std::string_view outcome_sgr(Outcome o) noexcept;

// `text` between "ESC[<sgr>m" and "ESC[0m"; `text` itself when `sgr` is empty.
std::string paint(std::string_view text, std::string_view sgr);

// Counts as summaries and bars print them ("ok 8", "api_error 2", "failed 1", "retrying 3"):
// each outcome name (and "failed", "retrying") followed by a number other than 0 is painted,
// and an outcome name that starts a line's text (a list of failed orders) too.
std::string colour_outcomes(std::string_view text);

// A progress bar of format_bar: the filled part of "[###...]" green, then its counts as
// colour_outcomes paints them.
std::string colour_bar(std::string_view bar);

// colour_outcomes(text) when `on`, else `text`.
std::string colour_outcomes_if(bool on, std::string_view text);

}  // namespace rcbatch::engine
