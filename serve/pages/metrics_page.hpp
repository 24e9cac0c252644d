#pragma once
// /metrics: the figures --metrics-file writes (engine/report/metrics_file.hpp), for every job's
// last finished run the ledger knows, read from that run's summary.json (jobs::run_metrics), for
// a Prometheus scraper.

#include "jobs/state/ledger_view.hpp"

#include <filesystem>
#include <string>

namespace rcbatch::serve {

std::string metrics_page(jobs::LedgerView& view);

}  // namespace rcbatch::serve
