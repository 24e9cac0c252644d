#include "cli/run_setup.hpp"

#include "cli/options.hpp"
#include "config/profile.hpp"
#include "engine/net/proxy.hpp"
#include "engine/text/colour.hpp"
#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/order/batched_reads.hpp"
#include "jobs/order/preflight.hpp"
#include "jobs/plan/plan_binding.hpp"
#include "jobs/state/first_seen.hpp"
#include "jobs/state/ledger.hpp"

#include <boost/url/parse.hpp>

#include <iostream>
#include <set>

namespace rcbatch::cli {

namespace {
// An action's path for the job's region, or the profile's override of it.
std::string action_path(const jobs::ActionSpec& spec, const RunSetup& setup,
                        const ApiAccess& access) {
    if (auto it = access.paths.find(std::string(spec.name)); it != access.paths.end())
        return jobs::fill_region(it->second, setup.job.region);
    return jobs::path_for(spec, setup.job.region);
}

}  // namespace

std::shared_ptr<jobs::ActionSetup> make_action_setup(const RunSetup& setup, const ApiAccess& access,
                                                     const RunFlags& flags) {
    auto action = std::make_shared<jobs::ActionSetup>();
    const jobs::ActionSpec& spec = *setup.job.action;
    action->spec = &spec;
    action->path = action_path(spec, setup, access);
    action->auth_userid = access.auth_userid;
    action->api_key = access.api_key;
    action->params = setup.job.params;
    if (setup.settings.max_charge) action->unpriced = setup.settings.unpriced;  // else refuse
    jobs::FlowSettings& flow = action->flow;
    flow.dry_run = flags.dry_run;
    flow.repeat_resend = setup.job.repeat_resend;
    flow.preflight = setup.job.preflight || !flags.plan_dir.empty();
    flow.max_sends = setup.settings.retry.attempts;
    jobs::PreflightOptions& p = flow.preflight_options;
    p.email_field = access.email_verification_field;
    p.ekyc_field = access.ekyc_verification_field;
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    if (setup.job.renew_if_expires_within)
        p.renew_if_expires_within = duration_cast<seconds>(*setup.job.renew_if_expires_within);
    if (setup.job.min_interval) p.min_interval = duration_cast<seconds>(*setup.job.min_interval);
    flow.settle = setup.job.reconcile_settle.value_or(access.reconcile_settle);
    flow.action_log = access.action_log;
    if (auto it = access.action_types.find(std::string(spec.name));
        it != access.action_types.end()) {
        flow.log_types = it->second;
    } else {
        const auto& types = jobs::behaviour_of(spec).log_types;
        flow.log_types.assign(types.begin(), types.end());
    }
    const std::string& order = access.action_scan_order;
    action->log.scan_order = order == "ascending"    ? jobs::ListOrder::ascending
                             : order == "descending" ? jobs::ListOrder::descending
                             : order == "unsorted"   ? jobs::ListOrder::unsorted
                                                     : jobs::ListOrder::detect;
    action->log.scan_max_age = duration_cast<seconds>(access.action_scan_max_age);
    for (const bool current : {true, false}) {
        const jobs::ActionSpec& log = jobs::action_log_reader(current);
        (current ? action->log.current_path : action->log.archived_path) =
            action_path(log, setup, access);
    }
    if (const jobs::ActionSpec* reader = jobs::preflight_reader(spec))
        action->details_path = action_path(*reader, setup, access);
    if (access.batch_reads)
        action->reads = jobs::make_batched_reads(
            *action, {static_cast<std::size_t>(access.batch_read_size), access.batch_read_max_age},
            [&](const jobs::ActionSpec& search) { return action_path(search, setup, access); });
    return action;
}

std::string ApiAccess::account() const {
    std::string host = endpoint.name();
    if (endpoint.port != 443) host += ":" + std::to_string(endpoint.port);
    return jobs::Account{environment, host, auth_userid}.key();
}

std::string ApiAccess::plan_account() const {
    if (!embedded_sandbox) return account();
    return jobs::Account{environment, jobs::embedded_sandbox_host(tls.ca_pem), auth_userid}.key();
}

engine::BatchSettings make_batch_settings(const RunSetup& setup, const ApiAccess& access,
                                          boost::asio::ssl::context& tls) {
    const config::RunSettings& s = setup.settings;
    engine::BatchSettings b;
    b.concurrency = s.concurrency;
    b.rate = s.rate;
    b.attempt_timeout = s.timeout;
    b.order_deadline = engine::order_deadline(s.timeout, s.retry);
    b.retry = s.retry;
    b.endpoint = access.endpoint;
    b.tls = &tls;
    b.handle_signals = true;
    b.action = std::string(setup.job.action->name);
    return b;
}

engine::ProgressOptions make_progress_options(const RunFlags& flags) {
    engine::ProgressOptions o;
    if (flags.quiet)
        o.style = engine::ProgressStyle::quiet;
    else if (flags.progress || engine::stderr_is_tty())
        o.style = engine::ProgressStyle::bar;
    if (flags.json_log) o.format = engine::LogFormat::json;
    o.command = flags.command;
    o.colour = o.style == engine::ProgressStyle::bar && !flags.json_log && engine::colour_wanted(2);
    return o;
}

std::optional<engine::Endpoint> endpoint_from_url(const std::string& url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || parsed->scheme() != "https" || parsed->host().empty()) return std::nullopt;
    engine::Endpoint e;
    e.host = parsed->host_address();
    if (parsed->has_port()) {
        const auto port = parsed->port_number();
        if (port == 0) return std::nullopt;
        e.port = port;
    }
    return e;
}

std::optional<config::ProfileFile> load_profile_file(const RunFlags& flags, bool& ok) {
    ok = true;
    auto path = config::find_profile_file(flags.config);
    if (!path) return std::nullopt;
    auto loaded = config::load_profile_file(*path);
    print_diagnostics(loaded.errors);
    ok = loaded.errors.empty();
    return loaded.config;
}

bool add_action_files(const std::optional<config::ProfileFile>& profile_file,
                      const std::string& wanted) {
    static std::set<std::filesystem::path> added;
    std::vector<std::pair<std::filesystem::path, std::string>> folders{
        {jobs::user_actions_folder(), "user"}};
    if (profile_file) {
        std::string ignored;
        if (const config::Profile* p = config::choose_profile(*profile_file, wanted, ignored);
            p && !p->actions_dir.empty())
            folders.emplace_back(p->actions_dir, "profile " + p->name);
    }
    bool ok = true;
    for (const auto& [folder, origin] : folders) {
        if (folder.empty() || !added.insert(folder).second) continue;
        engine::Diagnostics errors = jobs::add_action_folder(folder, origin);
        print_diagnostics(errors);
        ok = ok && errors.empty();
    }
    return ok;
}

std::optional<RunSetup> load_run(const RunFlags& flags,
                                 const std::optional<config::ProfileFile>& profile_file) {
    if (!add_action_files(profile_file, flags.profile.empty()
                                            ? config::job_profile_name(flags.job_file)
                                            : flags.profile))
        return std::nullopt;
    auto loaded = config::load_job(flags.job_file, jobs::seen_keys_on_disk);
    print_diagnostics(loaded.errors);
    if (!loaded.job) return std::nullopt;
    RunSetup setup{std::move(*loaded.job), {}};
    if (profile_file) setup.settings = config::merge(setup.settings, profile_file->defaults);
    setup.settings = config::merge(setup.settings, setup.job.run);
    config::RunOverrides cli;
    cli.concurrency = flags.concurrency;
    cli.rate = flags.rate;
    if (!flags.report_dir.empty()) cli.reports = flags.report_dir;
    if (!flags.csv.empty())
        cli.csv = flags.csv == "raw" ? engine::CsvCells::raw : engine::CsvCells::safe;
    setup.settings = config::merge(setup.settings, cli);
    return setup;
}

std::optional<ApiAccess> profile_access(const RunFlags& flags, const RunSetup& setup,
                                        const std::optional<config::ProfileFile>& profile_file) {
    if (!profile_file) {
        print_error(flags.command,
                    "no profile file: write ~/.config/rcbatch/config.toml (see "
                    "config/rcbatch.example.toml), pass --config FILE, or use --sandbox");
        return std::nullopt;
    }
    std::string error;
    const config::Profile* profile = config::choose_profile(
        *profile_file, flags.profile.empty() ? setup.job.profile : flags.profile, error);
    if (!profile) {
        print_error(flags.command, error);
        return std::nullopt;
    }
    if (profile->environment == "live" && setup.job.action->mutating && !flags.live &&
        !flags.dry_run) {
        print_error(flags.command,
                    std::string(setup.job.action->name) + " changes live orders; profile '" +
                        profile->name +
                        "' is live, so add --live to run it (preview with rcbatch plan)");
        return std::nullopt;
    }
    return access_from_profile(*profile, flags.command);
}

std::optional<ApiAccess> access_from_profile(const config::Profile& profile,
                                             const std::string& command) {
    std::string error;
    ApiAccess access;
    const std::string url =
        profile.endpoint.empty()
            ? "https://" + std::string(config::environment_host(profile.environment))
            : profile.endpoint;
    auto endpoint = endpoint_from_url(url);
    if (!endpoint) {
        print_error(command, "profile '" + profile.name + "': bad endpoint " + url);
        return std::nullopt;
    }
    access.endpoint = *endpoint;
    // The profile's proxy, else HTTPS_PROXY / ALL_PROXY unless NO_PROXY lists the host.
    auto proxy =
        engine::choose_proxy(profile.proxy, access.endpoint.host, engine::proxy_environment());
    if (!proxy.error.empty()) {
        print_error(command, "profile '" + profile.name + "': " + proxy.error);
        return std::nullopt;
    }
    access.endpoint.proxy = std::move(proxy.proxy);
    access.tls.ca_file = profile.ca_file.string();
    access.auth_userid = std::to_string(profile.auth_userid);
    access.environment = profile.environment;
    access.paths = profile.paths;
    access.email_verification_field = profile.email_verification_field;
    access.ekyc_verification_field = profile.ekyc_verification_field;
    access.nixi_product_keys = profile.nixi_product_keys;
    if (profile.repeat_guard) access.repeat_guard = *profile.repeat_guard;
    if (profile.reconcile_settle) access.reconcile_settle = *profile.reconcile_settle;
    access.action_log = profile.action_log;
    access.action_types = profile.action_types;
    access.action_scan_order = profile.action_scan_order;
    if (profile.action_scan_max_age) access.action_scan_max_age = *profile.action_scan_max_age;
    access.batch_reads = profile.batch_reads;
    if (profile.batch_read_size) access.batch_read_size = *profile.batch_read_size;
    if (profile.batch_read_max_age) access.batch_read_max_age = *profile.batch_read_max_age;
    auto key = config::resolve_api_key(profile, error);
    if (!key) {
        print_error(command, error);
        return std::nullopt;
    }
    access.api_key = std::move(*key);
    return access;
}

}  // namespace rcbatch::cli
