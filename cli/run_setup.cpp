#include "cli/run_setup.hpp"

#include "cli/options.hpp"
#include "config/profile.hpp"

#include <boost/url/parse.hpp>

#include <iostream>

namespace rcbatch::cli {


std::shared_ptr<jobs::ActionSetup> make_action_setup(const RunSetup& setup, const ApiAccess& access) {
    auto action = std::make_shared<jobs::ActionSetup>();
    const jobs::ActionSpec& spec = *setup.job.action;
    action->spec = &spec;
    action->path = jobs::path_for(spec, setup.job.region);
    if (auto it = access.paths.find(std::string(spec.name)); it != access.paths.end())
        action->path = jobs::fill_region(it->second, setup.job.region);
    action->auth_userid = access.auth_userid;
    action->api_key = access.api_key;
    action->params = setup.job.params;
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
        std::cerr << "rcbatch run: no profile file: write ~/.config/rcbatch/config.toml (see "
                     "config/rcbatch.example.toml), pass --config FILE, or use --sandbox\n";
        return std::nullopt;
    }
    std::string error;
    const config::Profile* profile =
        config::choose_profile(*profile_file, flags.profile.empty() ? setup.job.profile : flags.profile, error);
    if (!profile) {
        std::cerr << "rcbatch run: " << error << '\n';
        return std::nullopt;
    }
    if (profile->environment == "live" && setup.job.action->mutating && !flags.live) {
        std::cerr << "rcbatch run: " << setup.job.action->name << " changes live orders; profile '"
                  << profile->name << "' is live, so add --live to run it (preview with rcbatch plan)\n";
        return std::nullopt;
    }
    ApiAccess access;
    const std::string url = profile->endpoint.empty()
                                ? "https://" + std::string(config::environment_host(profile->environment))
                                : profile->endpoint;
    auto endpoint = endpoint_from_url(url);
    if (!endpoint) {
        std::cerr << "rcbatch run: profile '" << profile->name << "': bad endpoint " << url << '\n';
        return std::nullopt;
    }
    access.endpoint = *endpoint;
    access.tls.ca_file = profile->ca_file.string();
    access.auth_userid = std::to_string(profile->auth_userid);
    access.environment = profile->environment;
    access.paths = profile->paths;
    auto key = config::resolve_api_key(*profile, error);
    if (!key) {
        std::cerr << "rcbatch run: " << error << '\n';
        return std::nullopt;
    }
    access.api_key = std::move(*key);
    return access;
}

}  // namespace rcbatch::cli
