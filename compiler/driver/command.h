// Each `quest` subcommand is a function from its arguments to an exit code.
#pragma once

#include <string>
#include <vector>

namespace questline::driver {

using Args = std::vector<std::string>;

// Exit codes shared by every command (INTERFACES.md §1).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int BuildCommand(const Args& args);
int CheckCommand(const Args& args);
int FmtCommand(const Args& args);
int LspCommand(const Args& args);
int RunCommand(const Args& args);
int TestCommand(const Args& args);
int DiffCommand(const Args& args);
int ExplainCommand(const Args& args);
int ReportCommand(const Args& args);

}  // namespace questline::driver
