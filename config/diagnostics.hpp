#pragma once
// config's files (and their tests) name the located messages config::Diagnostic; they live in
// engine/text so that an action file (jobs/actions) is checked with the same ones.

#include "engine/text/diagnostics.hpp"

namespace rcbatch::config {
using engine::Diagnostic;
using engine::Diagnostics;
using engine::format;
}  // namespace rcbatch::config
