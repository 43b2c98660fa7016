// quest explain PATH --events FILE --user U [--at TIME]
// One player's run, event by event: which rules fired or did not and why
// (each part of the condition's value), limits and caps, policy blocks, task
// progress, segment moves and flow steps. Always on the reference
// interpreter: it evaluates the conditions' parts in each rule's own frame
// (explain_tracer.h), and it gives the same actions as the JIT.
#include <iostream>

#include "compiler/driver/command.h"
#include "compiler/driver/explain_tracer.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/options.h"
#include "compiler/driver/package_replay.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"

namespace questline::driver {
namespace {

const char* kHelp =
    "usage: quest explain PATH... --events FILE --user USER [--at TIME]\n"
    "\n"
    "Replay NDJSON events (FILE, or - for stdin) through a package's sources and\n"
    "tell, for one player, at each of their events and timers: each rule the event\n"
    "could fire, whether it fired, and the value of every part of its condition;\n"
    "limits and caps hit, policy blocks, task progress, segments entered and left,\n"
    "flow steps, and the actions. docs/tooling.md.\n"
    "  --user USER  the player\n"
    "  --at TIME    stop at TIME (RFC 3339): later steps are not shown; timers due\n"
    "               by TIME after the last event still are\n"
    "exit: 0 explained, 1 compile errors or no step of USER, 2 usage or unreadable input\n";

}  // namespace

int ExplainCommand(const Args& args) {
  std::vector<std::string> paths;
  std::string events_path, user, at_text;
  int exit_code = kExitOk;
  if (!ParseOptions(args, {{"--events", &events_path}, {"--user", &user}, {"--at", &at_text}}, "quest explain", kHelp,
                    &paths, &exit_code))
    return exit_code;
  if (paths.empty() || events_path.empty() || user.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  for (const std::string& p : paths)
    if (IsBundlePath(p)) {
      std::cerr << "quest explain: '" << p << "' is a bundle; explain quotes the sources, give the package's\n";
      return kExitUsage;
    }
  int64_t at;
  std::string events;
  if (!ParseUntil(at_text, "quest explain", &at) || !ReadEventsText(events_path, "quest explain", &events))
    return kExitUsage;

  FrontEnd fe;
  ir::SourceMap map;
  std::optional<ir::Program> program = CompileKeepingSources(paths, "quest explain", std::cerr, &exit_code, fe, &map);
  if (!program) return exit_code;
  interp::Interpreter interpreter(*program);
  ExplainTracer tracer(*program, interpreter, map, fe.sources.manager, user, at == INT64_MIN ? INT64_MAX : at,
                       std::cout);
  interpreter.SetRuleProbe(&tracer);
  engine::EngineOptions options;
  options.tracer = &tracer;
  std::cout << "quest explain: user " << user << "\n";
  const PackageReplay run = ReplayProgram(*program, interpreter, events, events_path, at, options);
  tracer.Finish();
  std::cout << "\n" << tracer.Steps() << " steps of " << user << " explained (" << run.events << " events replayed)\n";
  if (!FlushStdout(std::cout)) return kExitUsage;
  if (tracer.Steps() == 0) {
    std::cerr << "quest explain: no event or timer of user '" << user << "'"
              << (at_text.empty() ? "" : " by " + at_text) << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace questline::driver
