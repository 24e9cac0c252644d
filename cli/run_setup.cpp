#include "cli/run_setup.hpp"

#include "cli/options.hpp"
#include "config/profile.hpp"
#include "jobs/run_history.hpp"

#include <boost/url/parse.hpp>

#include <iostream>

namespace rcbatch::cli {


namespace {
// An action's path for the job's region, or the profile's override of it.
std::string action_path(const jobs::ActionSpec& spec, const RunSetup& setup, const ApiAccess& access) {
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
    action->dry_run = flags.dry_run;
    action->repeat_resend = setup.job.repeat_resend;
    jobs::PreflightOptions& p = action->preflight;
    p.enabled = setup.job.preflight || !flags.plan_dir.empty();
    p.email_field = access.email_verification_field;
    p.ekyc_field = access.ekyc_verification_field;
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    if (setup.job.renew_if_expires_within)
        p.renew_if_expires_within = duration_cast<seconds>(*setup.job.renew_if_expires_within);
    if (setup.job.min_interval) {
        p.min_interval = duration_cast<seconds>(*setup.job.min_interval);
        const auto now = duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch());
        p.last_resent = std::make_shared<const std::map<std::string, std::int64_t>>(jobs::last_successes(
            std::filesystem::path(setup.settings.reports) / setup.job.name, spec.name,
            (now - *p.min_interval).count()));
    }
    if (const jobs::ActionSpec* reader = jobs::preflight_reader(spec))
        action->details_path = action_path(*reader, setup, access);
    return action;
}

engine::BatchSettings make_batch_settings(const RunSetup& setup, const ApiAccess& access,
                                          boost::asio::ssl::context& tls) {
    const config::RunSettings& s = setup.settings;
    engine::BatchSettings b;
    b.concurrency = s.concurrency;
    b.rate = s.rate;
    b.attempt_timeout = s.timeout;
    // An order may wait out every attempt and every capped backoff, and then some.
    b.order_deadline = (s.timeout + s.retry.max) * s.retry.attempts * 2;
    b.retry = {.attempts = s.retry.attempts, .base = s.retry.base, .max = s.retry.max};
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

std::optional<RunSetup> load_run(const RunFlags& flags,
                                 const std::optional<config::ProfileFile>& profile_file) {
    auto loaded = config::load_job(flags.job_file);
    print_diagnostics(loaded.errors);
    if (!loaded.job) return std::nullopt;
    RunSetup setup{std::move(*loaded.job), {}};
    if (profile_file) setup.settings = config::merge(setup.settings, profile_file->defaults);
    setup.settings = config::merge(setup.settings, setup.job.run);
    config::RunOverrides cli;
    cli.concurrency = flags.concurrency;
    cli.rate = flags.rate;
    if (!flags.report_dir.empty()) cli.reports = flags.report_dir;
    setup.settings = config::merge(setup.settings, cli);
    return setup;
}

std::optional<ApiAccess> profile_access(const RunFlags& flags, const RunSetup& setup,
                                        const std::optional<config::ProfileFile>& profile_file) {
    if (!profile_file) {
        print_error("run", "no profile file: write ~/.config/rcbatch/config.toml (see "
                           "config/rcbatch.example.toml), pass --config FILE, or use --sandbox");
        return std::nullopt;
    }
    std::string error;
    const config::Profile* profile =
        config::choose_profile(*profile_file, flags.profile.empty() ? setup.job.profile : flags.profile, error);
    if (!profile) {
        print_error("run", error);
        return std::nullopt;
    }
    if (profile->environment == "live" && setup.job.action->mutating && !flags.live && !flags.dry_run) {
        print_error("run", std::string(setup.job.action->name) + " changes live orders; profile '" +
                               profile->name + "' is live, so add --live to run it (preview with rcbatch plan)");
        return std::nullopt;
    }
    ApiAccess access;
    const std::string url = profile->endpoint.empty()
                                ? "https://" + std::string(config::environment_host(profile->environment))
                                : profile->endpoint;
    auto endpoint = endpoint_from_url(url);
    if (!endpoint) {
        print_error("run", "profile '" + profile->name + "': bad endpoint " + url);
        return std::nullopt;
    }
    access.endpoint = *endpoint;
    access.tls.ca_file = profile->ca_file.string();
    access.auth_userid = std::to_string(profile->auth_userid);
    access.environment = profile->environment;
    access.paths = profile->paths;
    access.email_verification_field = profile->email_verification_field;
    access.ekyc_verification_field = profile->ekyc_verification_field;
    access.nixi_product_keys = profile->nixi_product_keys;
    auto key = config::resolve_api_key(*profile, error);
    if (!key) {
        print_error("run", error);
        return std::nullopt;
    }
    access.api_key = std::move(*key);
    return access;
}

}  // namespace rcbatch::cli
