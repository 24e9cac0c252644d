#pragma once
// The subcommands of rcbatch. Each takes the arguments after its own name and returns the
// process exit code (engine::ExitCode values).

#include <string>
#include <vector>

namespace rcbatch::cli {

using Args = std::vector<std::string>;

int validate_command(const Args& args);
int actions_command(const Args& args);
int run_command(const Args& args);
int plan_command(const Args& args);
int report_command(const Args& args);
int settle_command(const Args& args);
int runs_command(const Args& args);
int history_command(const Args& args);
int serve_command(const Args& args);
int init_command(const Args& args);

}  // namespace rcbatch::cli
