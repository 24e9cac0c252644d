#pragma once
// Debian's headless Chromium for the browser tests (tests/e2e/browser): a fresh profile folder
// each call and nothing that reaches the network; where it is missing the cases are skipped
// (browser_missing(), tool.hpp).

#include "tests/support/tool.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace rcbatch::test {

inline const std::string chromium = "/usr/bin/chromium";

inline std::vector<std::string> chromium_args(const std::filesystem::path& profile,
                                              std::vector<std::string> more) {
    std::vector<std::string> args{"--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--disable-quic",
                                  "--no-first-run",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--user-data-dir=" + profile.string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace rcbatch::test
