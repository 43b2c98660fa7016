// Both backends over one case, the way tests/engine/scenario.h runs them,
// without Catch2 assertions: the caller decides what a difference means
// (fail and minimise, or keep shrinking).
#include "tests/jit/diff_runner.h"

#include <memory>
#include <sstream>

#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/lower.h"
#include "compiler/jit/backend.h"
#include "compiler/jit/compile.h"
#include "runtime/engine/engine.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"
#include "stdlib/prelude.h"

namespace questline::jitdiff {
namespace {

BackendRun RunOn(const ir::Program& program, const core::Backend& backend, const std::string& events,
                 const std::string& until, engine::EngineOptions options = {}) {
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings, options);
  io::EventReader reader(program.schema, strings);
  io::LineActionSink sink;
  engine.SetSink(&sink);
  std::istringstream in(events);
  size_t rejections = 0;
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection&) { ++rejections; };
  io::Replay(in, reader, engine, hooks);
  int64_t t;
  if (!until.empty() && io::ParseTimestamp(until, &t)) engine.AdvanceTo(t);
  BackendRun run;
  run.actions = std::move(sink.lines);
  run.state = engine.StateJson();
  run.warnings = engine.Stats().warnings;
  run.runtime_errors = engine.Stats().runtime_errors;
  run.rejections = rejections;
  return run;
}

std::string Warnings(const BackendRun& r) {
  std::string out = "{";
  for (const auto& [name, n] : r.warnings) out += " " + name + ": " + std::to_string(n);
  return out + " } runtime_errors " + std::to_string(r.runtime_errors);
}

// What differs, briefly: the first differing action, or where the states part.
std::string Describe(const BackendRun& interp, const BackendRun& jit) {
  std::ostringstream out;
  if (interp.actions != jit.actions) {
    size_t i = 0;
    while (i < interp.actions.size() && i < jit.actions.size() && interp.actions[i] == jit.actions[i]) ++i;
    out << "actions differ at #" << i << " (interpreter " << interp.actions.size() << " actions, jit "
        << jit.actions.size() << ")\n  interp: " << (i < interp.actions.size() ? interp.actions[i] : "<none>")
        << "\n  jit:    " << (i < jit.actions.size() ? jit.actions[i] : "<none>") << "\n";
  }
  if (interp.state != jit.state) {
    size_t i = 0;
    while (i < interp.state.size() && i < jit.state.size() && interp.state[i] == jit.state[i]) ++i;
    const size_t from = i > 120 ? i - 120 : 0;
    out << "state differs at byte " << i << "\n  interp: …" << interp.state.substr(from, 240) << "\n  jit:    …"
        << jit.state.substr(from, 240) << "\n";
  }
  if (interp.warnings != jit.warnings || interp.runtime_errors != jit.runtime_errors)
    out << "warnings differ\n  interp: " << Warnings(interp) << "\n  jit:    " << Warnings(jit) << "\n";
  return out.str();
}

}  // namespace

CaseResult RunCase(const std::string& package, const std::string& events, const std::string& until) {
  CaseResult result;
  driver::FrontEnd fe;
  driver::LoadPackageText("random.quest", package, &fe.sources);
  driver::RunFrontEnd(fe);
  if (!fe.ok()) {
    std::vector<diag::Diagnostic> errors;
    for (const diag::Diagnostic& d : fe.sink.All())
      if (d.severity == diag::Severity::Error) errors.push_back(d);
    std::ostringstream diags;
    diag::Render(errors, fe.sources.manager, {}, diags);
    result.verdict = Verdict::DoesNotCheck;
    result.detail = diags.str();
    return result;
  }
  ir::Program program = ir::LowerToIr(fe.package);
  interp::Interpreter interpreter(program);
  result.reference = RunOn(program, interpreter, events, until);

  // The engine's settle shortcut against the plain fixpoint. Warning counts
  // may differ: they count evaluations, and the shortcut makes fewer.
  engine::EngineOptions plain;
  plain.skip_settled_conditions = false;
  const BackendRun fixpoint = RunOn(program, interpreter, events, until, plain);
  if (fixpoint.actions != result.reference.actions || fixpoint.state != result.reference.state ||
      fixpoint.runtime_errors != result.reference.runtime_errors) {
    result.verdict = Verdict::Differs;
    result.detail = "settle shortcut (interp, plain fixpoint first): " + Describe(fixpoint, result.reference);
    return result;
  }

  // The players split over partitions (world.h) against one engine: the same
  // bytes, warning counts and all.
  engine::EngineOptions split;
  split.partitions = 3;
  const BackendRun partitioned = RunOn(program, interpreter, events, until, split);
  if (partitioned.actions != result.reference.actions || partitioned.state != result.reference.state ||
      partitioned.warnings != result.reference.warnings || partitioned.runtime_errors != result.reference.runtime_errors) {
    result.verdict = Verdict::Differs;
    result.detail = "3 partitions (interp, partitions first): " + Describe(partitioned, result.reference);
    return result;
  }

  // Both optimisation levels users run: 1 (quest run's JIT) and 2 (quest build's bundles).
  for (int level : {1, 2}) {
    std::vector<std::string> objects;
    jit::CompileReport report;
    std::string error;
    jit::CompileOptions options;   // no cache dir: every case compiles cold
    options.opt_level = level;
    const std::string at = " at --opt " + std::to_string(level);
    if (!jit::CompileProgram(program, options, &objects, &report, &error)) {
      result.verdict = Verdict::Differs;
      result.detail = "the JIT cannot compile the package" + at + ": " + error + "\n";
      return result;
    }
    std::unique_ptr<jit::NativeBackend> native = jit::NativeBackend::Load(program, objects, &error);
    if (!native) {
      result.verdict = Verdict::Differs;
      result.detail = "the JIT's objects do not link" + at + ": " + error + "\n";
      return result;
    }
    const BackendRun jitted = RunOn(program, *native, events, until);
    if (jitted.actions != result.reference.actions || jitted.state != result.reference.state ||
        jitted.warnings != result.reference.warnings || jitted.runtime_errors != result.reference.runtime_errors) {
      result.verdict = Verdict::Differs;
      result.detail = "jit" + at + ": " + Describe(result.reference, jitted);
      return result;
    }
  }
  return result;
}

}  // namespace questline::jitdiff
