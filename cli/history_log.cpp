#include "cli/history_log.hpp"

#include "cli/options.hpp"
#include "cli/run_setup.hpp"
#include "engine/net/tls_context.hpp"
#include "engine/secret/redact.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/evidence/account_actions.hpp"
#include "jobs/order/order_runner.hpp"

#include <boost/asio/io_context.hpp>

namespace rcbatch::cli {

namespace {
// The profile named (or the file's default) and its access; nullopt with the reason printed.
std::optional<ApiAccess> history_access(const std::string& name, const std::string& config) {
    RunFlags flags;
    flags.config = config;
    bool ok = true;
    auto file = load_profile_file(flags, ok);
    if (!ok) return std::nullopt;
    if (!file) {
        print_error("history", "no profile file: pass --config FILE (or set RCBATCH_CONFIG)");
        return std::nullopt;
    }
    std::string error;
    const config::Profile* profile = config::choose_profile(*file, name, error);
    if (!profile) {
        print_error("history", error);
        return std::nullopt;
    }
    return access_from_profile(*profile, "history");
}

// Where the lists are: the profile's `paths` entries, else api.md's.
std::string log_path(const ApiAccess& access, bool current) {
    const jobs::ActionSpec& spec = jobs::action_log_reader(current);
    if (auto it = access.paths.find(std::string(spec.name)); it != access.paths.end())
        return it->second;
    return std::string(spec.path);
}
}  // namespace

std::optional<std::vector<jobs::LoggedAction>> order_actions_from_api(const std::string& profile,
                                                                      const std::string& config,
                                                                      const std::string& order_id,
                                                                      bool& bad_input) {
    bad_input = true;
    const auto access = history_access(profile, config);
    if (!access) return std::nullopt;
    engine::register_secret(access->api_key);
    bad_input = false;
    jobs::ActionSetup setup;
    setup.auth_userid = access->auth_userid;
    setup.api_key = access->api_key;
    setup.log.current_path = log_path(*access, true);
    setup.log.archived_path = log_path(*access, false);
    boost::asio::ssl::context tls = engine::make_client_tls_context(access->tls);
    engine::BatchSettings settings;
    settings.endpoint = access->endpoint;
    settings.tls = &tls;
    boost::asio::io_context ioc;
    jobs::LogAnswer log = jobs::read_order_actions(ioc, setup, settings, order_id);
    if (log.failure.outcome != engine::Outcome::ok) {
        print_error("history", "the order's action lists could not be read (" +
                                   engine::redact(log.failure.message) +
                                   "): only rcbatch's own changes are shown");
        return std::nullopt;
    }
    return std::move(log.entries);
}

}  // namespace rcbatch::cli
