// quest: the command-line front of Questline. A dispatch table of subcommands.
#include <cstring>
#include <iostream>

#include "compiler/driver/command.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const questline::driver::Args&);
  const char* summary;
};

const Command kCommands[] = {
    {"check", questline::driver::CheckCommand, "parse, type-check and lint a package"},
    {"build", questline::driver::BuildCommand, "compile a package into a bundle (FILE.qlb)"},
    {"run", questline::driver::RunCommand, "replay events through a package, offline"},
    {"test", questline::driver::TestCommand, "run scenario files (*.test.yaml)"},
    {"fmt", questline::driver::FmtCommand, "format .quest files canonically (--check: diff only)"},
    {"lsp", questline::driver::LspCommand, "serve the Language Server Protocol on stdio (editors)"},
    {"diff", questline::driver::DiffCommand, "compare two versions of a package over the same events"},
    {"explain", questline::driver::ExplainCommand, "why each rule fired or not for one player, event by event"},
    {"report", questline::driver::ReportCommand, "bandit off-policy estimates and holdout uplift from actions"},
};

void PrintUsage(std::ostream& out) {
  out << "usage: quest COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.name << "\t" << c.summary << "\n";
  out << "\nRun `quest COMMAND --help` for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    PrintUsage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? questline::driver::kExitUsage : questline::driver::kExitOk;
  }
  for (const Command& c : kCommands)
    if (!std::strcmp(argv[1], c.name))
      return c.run(questline::driver::Args(argv + 2, argv + argc));
  std::cerr << "quest: unknown command '" << argv[1] << "'\n";
  PrintUsage(std::cerr);
  return questline::driver::kExitUsage;
}
