#include "config/job.hpp"
#include "config/params.hpp"
#include "config/target_file_check.hpp"
#include "config/targets.hpp"
#include "config/toml_reader.hpp"
#include "engine/text/display_text.hpp"
#include "engine/text/suggest.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/money/charges.hpp"

#include <algorithm>
#include <cctype>

namespace rcbatch::config {

namespace {
const std::vector<std::string_view> job_keys{
    "name",          "action",       "region",          "profile",      "targets",
    "params",        "run",          "preflight",       "min-interval", "renew-if-expires-within",
    "repeat-resend", "repeat-guard", "reconcile-settle"};

// A key that only some actions take (their specs' job_keys).
template <class T>
std::optional<T> only_for(TomlReader& r, const jobs::ActionSpec* action, std::optional<T> value,
                          std::string_view key) {
    if (!value || !action) return value;
    if (std::find(action->job_keys.begin(), action->job_keys.end(), key) != action->job_keys.end())
        return value;
    std::string takers;
    for (const jobs::ActionSpec* spec : jobs::all_actions())
        if (std::find(spec->job_keys.begin(), spec->job_keys.end(), key) != spec->job_keys.end())
            takers += (takers.empty() ? "" : ", ") + std::string(spec->name);
    r.error_at_key(key, "only " + takers + " takes this key");
    return std::nullopt;
}

bool valid_job_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

const jobs::ActionSpec* read_action(TomlReader& r) {
    auto name = r.string("action", true);
    if (!name) return nullptr;
    if (const jobs::ActionSpec* spec = jobs::find_action(*name)) return spec;
    std::vector<std::string_view> names;
    for (const jobs::ActionSpec* spec : jobs::all_actions()) names.push_back(spec->name);
    std::string message = "unknown action " + engine::quoted_value(*name);
    if (std::string guess = engine::closest(*name, names); !guess.empty())
        message += " (did you mean '" + guess + "'?)";
    r.error_at_key("action", message + "; `rcbatch actions` lists them");
    return nullptr;
}

// The keys that decide, order by order, whether to send: the preflight and its windows, the
// cross-run guard, the reconciliation's settle delay.
void read_order_rules(TomlReader& r, Job& job) {
    if (auto preflight = r.boolean("preflight", false)) job.preflight = *preflight;
    job.min_interval = only_for(r, job.action, r.duration(settings::min_interval), "min-interval");
    job.renew_if_expires_within = only_for(
        r, job.action, r.duration(settings::renew_if_expires_within), "renew-if-expires-within");
    job.repeat_guard = r.duration(settings::repeat_guard);
    job.reconcile_settle = r.duration(settings::reconcile_settle);
    if (auto repeat = only_for(r, job.action, r.boolean("repeat-resend", false), "repeat-resend"))
        job.repeat_resend = *repeat;
    if (!job.preflight && (job.min_interval || job.renew_if_expires_within))
        r.error_at_key("preflight", "min-interval and renew-if-expires-within need the preflight");
}
}  // namespace

namespace {
std::optional<toml::table> quiet_parse(const std::filesystem::path& file) {
    Diagnostics ignored;
    return parse_toml_file(file.string(), ignored);
}
}  // namespace

std::string job_profile_name(const std::filesystem::path& file) {
    auto root = quiet_parse(file);
    return root ? std::string((*root)["profile"].value_or(std::string_view{})) : "";
}

bool is_action_file(const std::filesystem::path& file) {
    auto root = quiet_parse(file);
    return root && root->contains("class") && !root->contains("action");
}

JobLoad load_job(const std::filesystem::path& file, const jobs::SeenKeysMaker& seen_keys) {
    JobLoad out;
    const std::string path = file.string();
    auto root = parse_toml_file(path, out.errors);
    if (!root) return out;

    Job job;
    job.file = file;
    TomlReader r(*root, path, "", out.errors);
    r.allow_only(job_keys);

    if (auto name = r.string("name", true)) {
        if (valid_job_name(*name))
            job.name = *name;
        else
            r.error_at_key("name", engine::quoted_value(*name) +
                                       " must be 1 to 64 letters, digits, '-' or '_'");
    }
    job.action = read_action(r);
    const bool region_needed = job.action && jobs::needs_region(*job.action);
    if (auto region = r.one_of("region", region_needed, jobs::regions())) {
        if (job.action && !region_needed)
            r.error_at_key("region", "only backup.* actions take a region");
        job.region = *region;
    }
    if (auto profile = r.string("profile", false)) job.profile = *profile;

    const toml::table* targets = r.table("targets", false);
    const toml::table* params = r.table("params", false);
    if (job.action) {
        job.targets = read_targets(targets, job.action->targets, file.parent_path(), r);
        std::vector<std::string> columns;
        if (job.targets.source == Targets::Source::file)
            columns = target_file_columns(job.targets.file);
        job.params = read_params(*job.action, params, r, columns);
        if (job.targets.source == Targets::Source::file && targets)
            check_target_file(job, *targets, r, seen_keys);
    }
    read_order_rules(r, job);
    if (const toml::table* run = r.table("run", false)) {
        TomlReader rr(*run, path, "run", out.errors);
        rr.allow_only(run_setting_keys());
        job.run = read_run_settings(rr);
        for (const char* key : {"max-charge", "unpriced"})
            if (rr.has(key) && job.action && !jobs::estimates_charges(*job.action))
                rr.error_at_key(key,
                                "only a charged renewal (backup.renew) has a cost to estimate");
    }
    reject_api_keys(*root, path, out.errors, "");

    if (out.errors.empty()) out.job = std::move(job);
    return out;
}

}  // namespace rcbatch::config
