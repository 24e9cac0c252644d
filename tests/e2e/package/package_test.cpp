// The .deb as a user installs it: CPack packs the already-built binary (no rebuild), dpkg-deb
// unpacks it into a temporary root, and the installed rcbatch, man page, examples and bash
// completion are used from there. Also: every option of every command's --help is in the man
// page, so the page cannot drift from the binary.

#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tool.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace package_test {

namespace fs = std::filesystem;
using rcbatch::test::require_tool;
using rcbatch::test::run_tool;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

const std::string dpkg_deb = "/usr/bin/dpkg-deb";
const std::string man = "/usr/bin/man";
const std::vector<std::string> commands{"run",      "plan",    "report", "runs",   "history",
                                        "validate", "actions", "init",   "sandbox"};
// Options that are the commands' positional arguments (JOB.toml, RUN_DIR, ORDER, NAME).
const std::set<std::string> positional{"job", "dir", "order", "name", "help"};

// The package built from this build folder, in `out`.
fs::path build_package(const fs::path& out) {
    require_tool(RCBATCH_CPACK, "cmake");
    auto cpack = run_tool(RCBATCH_CPACK, {"-G", "DEB", "-B", out.string(), "--config",
                                          std::string(RCBATCH_BUILD_DIR) + "/CPackConfig.cmake"});
    CAPTURE(cpack.out);
    CAPTURE(cpack.err);
    REQUIRE(cpack.exit_code == 0);
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().extension() == ".deb") return e.path();
    FAIL("cpack made no .deb in " << out);
    return {};
}

std::set<std::string> options_of(const std::string& binary, const std::string& command) {
    auto help = run_tool(binary, {command, "--help"});
    REQUIRE(help.exit_code == 0);
    std::set<std::string> out;
    const std::regex option(R"((^|\s)--([a-z][a-z-]*))");
    for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it)
        if (!positional.contains((*it)[2].str())) out.insert((*it)[2].str());
    return out;
}

std::string roff_option(const std::string& name) {
    std::string out = "\\-\\-";
    for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

}  // namespace

TEST_SUITE("e2e: package") {
    TEST_CASE(
        "the .deb installs into a root: --version, man -l, validate an installed example, "
        "completion") {
        require_tool(dpkg_deb, "dpkg");
        require_tool(man, "man-db");
        TempDir tmp{"rcbatch-e2e-package"};
        const fs::path deb = build_package(tmp.path / "out");
        const fs::path root = tmp.path / "root";

        auto depends = run_tool(dpkg_deb, {"-f", deb.string(), "Depends"});
        CAPTURE(depends.out);
        CHECK(depends.out.find("-dev") == std::string::npos);
        for (const char* package :
             {"libssl3", "libboost-json1.81.0", "libboost-url1.81.0",
              "libboost-program-options1.81.0", "libtomlplusplus3", "libsqlite3-0"})
            CHECK(depends.out.find(package) != std::string::npos);
        REQUIRE(run_tool(dpkg_deb, {"-x", deb.string(), root.string()}).exit_code == 0);

        // The postinst makes the machine's shared state directory: group rcbatch, setgid, 2770.
        const fs::path control = tmp.path / "control";
        REQUIRE(run_tool(dpkg_deb, {"-e", deb.string(), control.string()}).exit_code == 0);
        const std::string postinst = slurp(control / "postinst");
        CHECK(postinst.find("groupadd --system rcbatch") != std::string::npos);
        CHECK(postinst.find("install -d -m 2770 -o root -g rcbatch /var/lib/rcbatch/state") !=
              std::string::npos);
        CHECK((fs::status(control / "postinst").permissions() & fs::perms::owner_exec) !=
              fs::perms::none);

        const std::string rcbatch = (root / "usr/bin/rcbatch").string();
        auto version = run_tool(rcbatch, {"--version"});
        CHECK(version.exit_code == 0);
        CHECK(version.out == "rcbatch " RCBATCH_VERSION "\n");

        const fs::path page = root / "usr/share/man/man1/rcbatch.1";
        auto shown = run_tool(man, {"-P", "cat", "-l", page.string()},
                              {{"MANPAGER", "cat"}, {"MANWIDTH", "100"}});
        CAPTURE(shown.err);
        CHECK(shown.exit_code == 0);
        CHECK(shown.out.find("rcbatch - bulk jobs against the LogicBoxes") != std::string::npos);
        CHECK(shown.out.find("EXIT STATUS") != std::string::npos);

        const fs::path examples = root / "usr/share/doc/rcbatch/examples";
        const std::map<std::string, std::string> env{{"HOME", tmp.path.string()},
                                                     {"XDG_CONFIG_HOME", ""}};
        auto validate = run_tool(rcbatch,
                                 {"validate", (examples / "renew-expiring-backups.toml").string(),
                                  (examples / "asia-backup-details.toml").string()},
                                 env);
        CAPTURE(validate.err);
        CHECK(validate.exit_code == 0);
        for (const char* f :
             {"contrib/systemd/rcbatch@.service", "contrib/systemd/rcbatch@.timer",
              "contrib/cron/rcbatch", "contrib/monitoring/check_rcbatch", "README.md"})
            CHECK_MESSAGE(fs::exists(root / "usr/share/doc/rcbatch" / f), f);
        CHECK(fs::exists(root / "usr/lib/systemd/system/rcbatch@.timer"));

        const fs::path completion = root / "usr/share/bash-completion/completions/rcbatch";
        auto complete = run_tool(
            "/bin/bash",
            {"-c", "source " + completion.string() +
                       "; COMP_WORDS=(rcbatch actions backup.re); COMP_CWORD=2; _rcbatch; "
                       "echo \"${COMPREPLY[*]}\"; COMP_WORDS=(rcbatch run --max); COMP_CWORD=2; "
                       "_rcbatch; echo \"${COMPREPLY[*]}\""},
            {{"PATH", (root / "usr/bin").string() + ":/usr/bin:/bin"}});
        CAPTURE(complete.err);
        CHECK(complete.out == "backup.renew\n--max-runtime\n");
    }

    TEST_CASE("every option of every command's --help is in the man page") {
        const std::string page = slurp(std::string(RCBATCH_SOURCE_DIR) + "/man/rcbatch.1");
        REQUIRE(!page.empty());
        for (const std::string& command : commands)
            for (const std::string& option : options_of(RCBATCH_BINARY, command)) {
                CAPTURE(command);
                CAPTURE(option);
                CHECK(page.find(roff_option(option)) != std::string::npos);
            }
        const std::string usage = run_tool(RCBATCH_BINARY, {"--help"}).out;
        for (const std::string& command : commands)
            CHECK(usage.find("  " + command + " ") != std::string::npos);
    }
}

}  // namespace package_test
