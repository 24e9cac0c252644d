#include "config/profile.hpp"

#include "config/credentials_path.hpp"
#include "config/toml_reader.hpp"
#include "engine/net/proxy.hpp"
#include "engine/secret/private_memory.hpp"
#include "engine/secret/redact.hpp"
#include "engine/store/regular_file.hpp"
#include "engine/text/display_text.hpp"
#include "jobs/actions/registry.hpp"

#include <boost/url/parse.hpp>

#include <cstdlib>
#include <sys/stat.h>

namespace rcbatch::config {

namespace {
const std::vector<std::string_view> profile_keys{"environment",
                                                 "auth-userid",
                                                 "api-key-env",
                                                 "api-key-file",
                                                 "endpoint",
                                                 "ca-file",
                                                 "proxy",
                                                 "paths",
                                                 "email-verification-field",
                                                 "ekyc-verification-field",
                                                 "nixi-product-keys",
                                                 "repeat-guard",
                                                 "reconcile-settle",
                                                 "action-log",
                                                 "action-types",
                                                 "action-scan-order",
                                                 "action-scan-max-age",
                                                 "actions-dir",
                                                 "batch-reads",
                                                 "batch-read-size",
                                                 "batch-read-max-age"};

std::vector<std::string_view> defaults_keys() {
    std::vector<std::string_view> keys = run_setting_keys();
    keys.push_back("reports");
    keys.push_back("profile");
    return keys;
}

void check_endpoint(TomlReader& r, Profile& p) {
    auto endpoint = r.string("endpoint", false);
    if (!endpoint) return;
    auto url = boost::urls::parse_absolute_uri(*endpoint);
    if (!url || url->scheme() != "https" || url->host().empty()) {
        r.error_at_key("endpoint", engine::quoted_value(*endpoint) + " is not an https:// URL");
        return;
    }
    const std::string host = url->host();
    const std::string_view own = environment_host(p.environment);
    for (std::string_view env : {"test", "live"}) {
        if (env == p.environment || host != environment_host(env) || own.empty()) continue;
        r.error_at_key("endpoint", "the profile's environment is '" + p.environment +
                                       "' but the endpoint is the " + std::string(env) + " host " +
                                       host + "; fix one of them");
    }
    p.endpoint = *endpoint;
}

void read_paths(TomlReader& r, Profile& p) {
    const toml::table* paths = r.table("paths", false);
    if (!paths) return;
    TomlReader pr(*paths, r.file(), r.qualified("paths"), r.diagnostics());
    std::vector<std::string_view> names;
    for (const jobs::ActionSpec* spec : jobs::all_actions()) names.push_back(spec->name);
    for (bool current : {true, false}) names.push_back(jobs::action_log_reader(current).name);
    pr.allow_only(names);
    for (std::string_view name : names) {
        auto path = pr.string(name, false);
        if (!path) continue;
        if (path->empty() || path->front() != '/')
            pr.error_at_key(name,
                            "a path starts with '/', e.g. \"/api/backup/{region}/details.json\"");
        else
            p.paths[std::string(name)] = *path;
    }
}

// action-types = { "backup.renew" = ["Renew"] }: the action log's names of each change.
void read_action_types(TomlReader& r, Profile& p) {
    const toml::table* types = r.table("action-types", false);
    if (!types) return;
    TomlReader tr(*types, r.file(), r.qualified("action-types"), r.diagnostics());
    std::vector<std::string_view> names;
    for (const jobs::ActionSpec* spec : jobs::all_actions())
        if (spec->mutating) names.push_back(spec->name);
    tr.allow_only(names);
    for (std::string_view name : names) {
        const toml::node* node = tr.node(name);
        if (!node) continue;
        const toml::array* list = node->as_array();
        std::vector<std::string> values;
        for (std::size_t i = 0; list && i < list->size(); ++i)
            if (const auto* s = list->get(i)->as_string()) values.push_back(s->get());
        if (!list || values.empty() || values.size() != list->size())
            tr.error_at_key(name, "expected a non-empty list of action types, e.g. [\"Renew\"]");
        else
            p.action_types[std::string(name)] = std::move(values);
    }
}

Profile read_profile(const std::string& name, const toml::table& table, const std::string& file,
                     Diagnostics& errors) {
    Profile p;
    p.name = name;
    p.line = static_cast<int>(table.source().begin.line);
    TomlReader r(table, file, "profiles." + name, errors);
    r.allow_only(profile_keys);
    if (auto env = r.one_of("environment", true, {"test", "live"})) p.environment = *env;
    const toml::node* userid = r.node("auth-userid");
    // value_exact: a float such as 2e71 is no id, and converting it would overflow (UB; found by
    // fuzz/fuzz_profile_loader).
    if (userid && userid->value_exact<std::int64_t>() == placeholder_userid)
        r.error_at_key("auth-userid", std::to_string(placeholder_userid) +
                                          " is the placeholder `rcbatch init` writes: set your "
                                          "reseller id (the reseller panel shows it)");
    else if (auto id = r.integer("auth-userid", true, 1, 999'999'999'999))
        p.auth_userid = *id;
    if (auto env = r.string("api-key-env", false)) p.api_key_env = *env;
    if (auto key_file = r.string("api-key-file", false)) {
        if (r.has("api-key-env"))
            r.error_at_key("api-key-file", "choose one of api-key-env and api-key-file");
        std::filesystem::path path(*key_file);
        p.api_key_file = path.is_absolute() || names_credentials_directory(*key_file)
                             ? path
                             : std::filesystem::path(file).parent_path() / path;
    }
    check_endpoint(r, p);
    if (auto ca = r.string("ca-file", false)) {
        std::filesystem::path path(*ca);
        p.ca_file = path.is_absolute() ? path : std::filesystem::path(file).parent_path() / path;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(p.ca_file, ec))
            r.error_at_key("ca-file", "'" + p.ca_file.string() + "' is not a readable file");
    }
    if (auto dir = r.string("actions-dir", false)) {
        std::filesystem::path path(*dir);
        p.actions_dir =
            path.is_absolute() ? path : std::filesystem::path(file).parent_path() / path;
        std::error_code ec;
        if (dir->empty() || !std::filesystem::is_directory(p.actions_dir, ec))
            r.error_at_key("actions-dir", "'" + p.actions_dir.string() + "' is not a folder");
    }
    if (auto proxy = r.string("proxy", false)) {
        auto parsed = engine::parse_proxy_url(*proxy);
        if (!proxy->empty() && !parsed.error.empty())
            r.error_at_key("proxy", parsed.error);
        else
            p.proxy = *proxy;
    }
    read_paths(r, p);
    read_action_types(r, p);
    p.repeat_guard = r.duration(settings::repeat_guard);
    p.reconcile_settle = r.duration(settings::reconcile_settle);
    if (auto on = r.boolean("action-log", false)) p.action_log = *on;
    if (auto order =
            r.one_of("action-scan-order", false, {"auto", "ascending", "descending", "unsorted"}))
        p.action_scan_order = *order;
    p.action_scan_max_age = r.duration(settings::action_scan_max_age);
    if (auto on = r.boolean("batch-reads", false)) p.batch_reads = *on;
    if (auto size = r.integer(settings::batch_read_size)) p.batch_read_size = *size;
    p.batch_read_max_age = r.duration(settings::batch_read_max_age);
    if (auto f = r.string("email-verification-field", false)) p.email_verification_field = *f;
    if (auto f = r.string("ekyc-verification-field", false)) p.ekyc_verification_field = *f;
    if (const toml::node* keys = r.node("nixi-product-keys")) {
        const toml::array* list = keys->as_array();
        std::vector<std::string> values;
        for (std::size_t i = 0; list && i < list->size(); ++i)
            if (const auto* s = list->get(i)->as_string()) values.push_back(s->get());
        if (!list || values.empty() || values.size() != list->size())
            r.error_at_key("nixi-product-keys", "expected a non-empty list of product keys");
        else
            p.nixi_product_keys = std::move(values);
    }
    return p;
}
}  // namespace

std::string_view environment_host(std::string_view environment) {
    if (environment == "test") return "test.httpapi.com";
    if (environment == "live") return "httpapi.com";
    return "";
}

ProfileLoad load_profile_file(const std::filesystem::path& file) {
    ProfileLoad out;
    const std::string path = file.string();
    auto root = parse_toml_file(path, out.errors);
    if (!root) return out;
    ProfileFile config;
    config.file = file;
    TomlReader r(*root, path, "", out.errors);
    r.allow_only({"profiles", "defaults"});
    if (const toml::table* profiles = r.table("profiles", false)) {
        for (auto&& [key, value] : *profiles) {
            const std::string name(key.str());
            if (const toml::table* t = value.as_table())
                config.profiles[name] = read_profile(name, *t, path, out.errors);
            else
                out.errors.push_back(
                    located(path, value.source(),
                            "profiles." + name + ": expected a table [profiles." + name + "]"));
        }
    }
    if (const toml::table* defaults = r.table("defaults", false)) {
        TomlReader d(*defaults, path, "defaults", out.errors);
        d.allow_only(defaults_keys());
        config.defaults = read_run_settings(d);
        config.defaults.reports = d.string("reports", false);
        // A relative folder is relative to the file that names it, never to the working directory.
        if (config.defaults.reports && !config.defaults.reports->empty() &&
            std::filesystem::path(*config.defaults.reports).is_relative())
            config.defaults.reports =
                (std::filesystem::absolute(path).parent_path() / *config.defaults.reports).string();
        if (auto p = d.string("profile", false)) {
            config.default_profile = *p;
            if (!config.profiles.contains(*p))
                d.error_at_key("profile", "no [profiles." + *p + "] in this file");
        }
    }
    reject_api_keys(*root, path, out.errors);
    if (out.errors.empty()) out.config = std::move(config);
    return out;
}

std::optional<std::filesystem::path> find_profile_file(const std::string& explicit_path) {
    if (!explicit_path.empty()) return std::filesystem::path(explicit_path);
    if (const char* env = std::getenv("RCBATCH_CONFIG"); env && *env)
        return std::filesystem::path(env);
    std::filesystem::path dir;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        dir = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        dir = std::filesystem::path(home) / ".config";
    else
        return std::nullopt;
    std::filesystem::path candidate = dir / "rcbatch" / "config.toml";
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return candidate;
    return std::nullopt;
}

const Profile* choose_profile(const ProfileFile& file, const std::string& wanted,
                              std::string& error) {
    std::string name = wanted.empty() ? file.default_profile : wanted;
    if (name.empty() && file.profiles.size() == 1) name = file.profiles.begin()->first;
    if (name.empty()) {
        error = file.file.string() +
                ": name a profile (job 'profile', --profile, or [defaults] profile)";
        return nullptr;
    }
    auto it = file.profiles.find(name);
    if (it == file.profiles.end()) {
        error = file.file.string() + ": no profile " + engine::quoted_value(name);
        return nullptr;
    }
    return &it->second;
}

std::optional<std::string> resolve_api_key(const Profile& profile, std::string& error) {
    std::string key;
    if (!profile.api_key_file.empty()) {
        const auto expanded = expand_credentials_directory(profile.api_key_file);
        if (!expanded) {
            error =
                "api-key-file names $CREDENTIALS_DIRECTORY, which is not set: systemd sets it "
                "for a unit with LoadCredential= (profile '" +
                profile.name + "')";
            return std::nullopt;
        }
        const std::string path = expanded->string();
        const std::string shown =
            engine::mask_key_like(path);  // a key given as the path is never echoed
        std::string why;
        auto file = engine::open_regular_file(path, engine::max_key_file_bytes, why);
        if (file && (file->mode() & (S_IRWXG | S_IRWXO)) != 0) {
            error = shown + ": the API key file can be read by others; run chmod 600 " + shown;
            return std::nullopt;
        }
        std::optional<std::string> text;
        if (file) text = engine::read_all(*file, engine::max_key_file_bytes, why);
        if (!text) {
            error = shown + ": the API key file " + engine::mask_key_like(why) + " (profile '" +
                    profile.name + "')";
            return std::nullopt;
        }
        const std::size_t bom = std::string_view(*text).starts_with("\xef\xbb\xbf") ? 3 : 0;
        key = text->substr(bom, text->find('\n') - bom);
        engine::wipe(*text);  // the file's whole text, the key with it
    } else {
        const char* value = std::getenv(profile.api_key_env.c_str());
        if (value) key = value;
    }
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\n'))
        key.pop_back();
    if (key.empty()) {
        // api-key-env names a variable; a value that looks like a key is never echoed.
        const std::string variable =
            engine::could_be_a_key(profile.api_key_env)
                ? "the variable api-key-env names (not shown: it looks like a key itself; "
                  "api-key-env takes a variable's name, e.g. RCBATCH_API_KEY)"
                : profile.api_key_env;
        error = profile.api_key_file.empty()
                    ? "no API key: set " + variable + " (profile '" + profile.name + "')"
                    : engine::mask_key_like(profile.api_key_file.string()) +
                          ": the API key file is empty";
        return std::nullopt;
    }
    return key;
}

}  // namespace rcbatch::config
