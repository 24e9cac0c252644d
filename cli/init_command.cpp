// `rcbatch init`: a commented profile file to start from, at the path rcbatch reads by
// default ($XDG_CONFIG_HOME/rcbatch/config.toml, else ~/.config/rcbatch/config.toml) or at
// --config PATH; never over an existing file. With --key-file, the key file is created empty,
// mode 0600, for the user to paste the key into.

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "config/duration.hpp"
#include "config/profile.hpp"
#include "engine/defaults.hpp"
#include "engine/secret/redact.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace rcbatch::cli {

namespace fs = std::filesystem;

namespace {

// A setting of the profile template with its value from the defaults, padded so that the
// comments after it line up.
std::string setting_line(std::string setting) {
    constexpr std::size_t comment_column = 39;
    if (setting.size() < comment_column)
        setting.resize(comment_column, ' ');
    else
        setting += ' ';
    return setting;
}

std::string one_decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::optional<fs::path> default_config_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return fs::path(xdg) / "rcbatch" / "config.toml";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".config" / "rcbatch" / "config.toml";
    return std::nullopt;
}

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

std::string skeleton(const std::string& name, const std::string& environment,
                     const fs::path& key_file) {
    const bool live = environment == "live";
    std::string key =
        key_file.empty()
            ? "api-key-env = \"RCBATCH_API_KEY\"        # the variable that holds the key; or\n"
              "# api-key-file = \"PATH\"               # a file holding it (mode 0600, or "
              "refused)\n"
            : "api-key-file = \"" + key_file.string() +
                  "\"   # holds the key alone (mode 0600, or refused)\n";
    return "# rcbatch profiles (written by rcbatch init). README \"Profiles\" explains every key.\n"
           "# The API key never goes into this file: it comes from the environment variable named "
           "by\n"
           "# api-key-env, or from api-key-file.\n\n"
           "[profiles." +
           name +
           "]\n"
           "environment = \"" +
           environment + "\"                   # test (test.httpapi.com) | live (httpapi.com)\n" +
           (live ? "# A changing action on a live profile runs only with --live on the command "
                   "line.\n"
                 : "") +
           "auth-userid = " + std::to_string(config::placeholder_userid) +
           "                        # your reseller id: replace this one\n" + key +
           "# ca-file   = \"PATH\"                   # an extra CA to trust\n" +
           setting_line("# repeat-guard = \"" + config::format_duration(defaults::repeat_guard) +
                        "\"") +
           "# no change twice to one order in this window,\n"
           "                                       # by this machine's runs (the ledger) or any "
           "client\n"
           "                                       # (the API's action lists: another machine, "
           "the panel)\n\n"
           "[defaults]\n"
           "profile     = \"" +
           name + "\"                   # when neither the job nor --profile names one\n" +
           setting_line("concurrency = " + std::to_string(defaults::concurrency)) +
           "# workers, each with its own connection\n" +
           setting_line("rate        = " + one_decimal(defaults::rate)) +
           "# requests per second over all workers\n"
           "# reports   = \"reports\"                # run folders (default: the state directory's "
           "runs/)\n";
}

// Creates `path` empty with mode 0600 (and its folder 0700); leaves an existing file alone.
bool make_key_file(const fs::path& path) {
    std::error_code ec;
    if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
        fs::create_directories(path.parent_path(), ec);
        if (!ec) fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::fchmod(fd, 0600);  // whatever the umask
        ::close(fd);
        std::cout << "created " << path.string()
                  << " (empty, mode 0600): put the API key in it, alone on "
                  << "its line\n";
        return true;
    }
    if (errno == EEXIST) {
        std::cout << path.string() << " exists: left as it is\n";
        return true;
    }
    std::cerr << "rcbatch init: cannot create " << path.string() << ": " << std::strerror(errno)
              << '\n';
    return false;
}

bool write_new_file(const fs::path& path, const std::string& text) {
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::cerr << "rcbatch init: cannot create " << path.string() << ": " << std::strerror(errno)
                  << '\n';
        return false;
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (::close(fd) != 0 || !ok) {
        std::cerr << "rcbatch init: cannot write " << path.string() << '\n';
        return false;
    }
    return true;
}

}  // namespace

int init_command(const Args& args) {
    po::options_description options("rcbatch init: write a commented profile file to start from");
    std::string name, environment = "test", key_file, config;
    options.add_options()("profile", po::value(&name),
                          "the profile's name (default: the environment's)")(
        "environment", po::value(&environment), "test or live (default test)")(
        "key-file", po::value(&key_file),
        "read the key from PATH, and create it empty with mode 0600")(
        "config", po::value(&config),
        "write the profile file here instead of "
        "$XDG_CONFIG_HOME/rcbatch/config.toml (~/.config/...)");
    po::variables_map vm;
    if (auto code = parse_arguments("init",
                                    "rcbatch init [--profile NAME] [--environment test|live] "
                                    "[--key-file PATH] [--config PATH]",
                                    args, options, {}, vm))
        return *code;
    const auto bad = [](const std::string& message) {
        std::cerr << "rcbatch init: " << message << " (see rcbatch init --help)\n";
        return exit_code(engine::ExitCode::bad_input);
    };
    if (environment != "test" && environment != "live") return bad("--environment is test or live");
    if (name.empty()) name = environment;
    if (!valid_name(name)) return bad("a profile name is letters, digits, '-' and '_'");
    std::optional<fs::path> path =
        config.empty() ? default_config_path() : std::optional<fs::path>(config);
    if (!path)
        return bad("no place for the profile file: set HOME or XDG_CONFIG_HOME, or pass --config");
    std::error_code ec;
    if (fs::exists(*path, ec) || fs::is_symlink(*path, ec))
        return bad(path->string() +
                   " exists: rcbatch init never overwrites a file (edit it, or pass --config "
                   "another path)");
    const fs::path key = key_file.empty() ? fs::path() : fs::absolute(key_file).lexically_normal();
    if (!key.empty() && !make_key_file(key)) return exit_code(engine::ExitCode::bad_input);
    if (!write_new_file(*path, skeleton(name, environment, key)))
        return exit_code(engine::ExitCode::bad_input);

    const std::string config_flag = config.empty() ? "" : " --config " + path->string();
    const std::string live_flag = environment == "live" ? " --live" : "";
    std::cout
        << "wrote " << path->string() << " (profile '" << name << "'): set auth-userid"
        << (key.empty() ? " and export RCBATCH_API_KEY" : " and put the key into " + key.string())
        << "\n\n"
        << "next:\n"
        << "  rcbatch validate JOB.toml" << config_flag << "\n"
        << "  rcbatch plan JOB.toml --profile " << name << config_flag << "\n"
        << "  rcbatch run JOB.toml --profile " << name << config_flag << live_flag << "\n"
        << "(example jobs: /usr/share/doc/rcbatch/examples/, or jobs/examples/ in the source)\n";
    if (const char* env = std::getenv("RCBATCH_CONFIG"); env && *env && config.empty())
        std::cout << "note: RCBATCH_CONFIG is set (" << env
                  << "): rcbatch reads that file, not this one\n";
    return 0;
}

}  // namespace rcbatch::cli
