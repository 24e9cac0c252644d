#include "cli/job_targets.hpp"

#include "jobs/plan/plan_binding.hpp"
#include "jobs/select/search_filter.hpp"
#include "jobs/select/target_sources.hpp"

#include <chrono>
#include <filesystem>

namespace rcbatch::cli {

void set_targets(const config::Job& job, jobs::RunRequest& request,
                 const std::vector<std::string>& nixi_product_keys) {
    using config::Targets;
    const bool names = job.action->targets == jobs::TargetKind::domain_order;
    switch (job.targets.source) {
        case Targets::Source::none:
            return;
        case Targets::Source::order_ids:
            request.source = std::make_unique<jobs::OrderIdSource>(job.targets.order_ids);
            return;
        case Targets::Source::domain_names:
            request.source = std::make_unique<jobs::DomainNameSource>(job.targets.domain_names);
            return;
        case Targets::Source::file: {
            jobs::ColumnRules rules{job.action, job.targets.keep_columns, {}};
            for (const config::Param& p : job.params) rules.defaults.push_back(p.name);
            request.source = std::make_unique<jobs::FileSource>(job.targets.file.string(), names,
                                                                std::move(rules));
            return;
        }
        case Targets::Source::search: {
            const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch());
            request.search = jobs::make_search_selector(job.targets.search, job.action->targets,
                                                        job.region, now.count(), nixi_product_keys);
            return;
        }
    }
}

std::string targets_description(const config::Targets& t) {
    using config::Targets;
    std::string joined;
    switch (t.source) {
        case Targets::Source::none:
            return "none";
        case Targets::Source::order_ids:
            for (std::int64_t id : t.order_ids) joined += std::to_string(id) + "\n";
            return "order-ids (" + std::to_string(t.order_ids.size()) + ") " +
                   jobs::short_sha256(joined);
        case Targets::Source::domain_names:
            for (const std::string& n : t.domain_names) joined += n + "\n";
            return "domain-names (" + std::to_string(t.domain_names.size()) + ") " +
                   jobs::short_sha256(joined);
        case Targets::Source::file: {
            const auto path = std::filesystem::absolute(t.file).lexically_normal();
            return "file " + path.string() + " " +
                   jobs::file_short_sha256(path).value_or("(unreadable)");
        }
        case Targets::Source::search:
            return "search " + jobs::search_filter_text(t.search);
    }
    return "none";
}

}  // namespace rcbatch::cli
