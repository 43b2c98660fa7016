// A scenario: a tiny package and an NDJSON event stream through the real
// pipeline (Parse → Check → LowerToIr → backend → engine), returning the
// actions as NDJSON lines and the final state as JSON. Every scenario runs on
// both backends — the reference interpreter and the JIT's native code — and
// fails unless their actions and state are the same bytes: each engine test
// is also a differential test. The interpreter also runs once with the
// engine's plain settle fixpoint, which must agree with the shortcut.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/jit/backend.h"
#include "compiler/jit/compile.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "runtime/engine/engine.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"
#include "stdlib/prelude.h"

namespace questline::testing {

struct ScenarioResult {
  std::vector<std::string> actions;   // one NDJSON line each
  std::string state;
  std::vector<io::Rejection> rejections;
  engine::EngineStats stats;
  io::ReadStats reader_stats;
  size_t strings = 0;                 // the string pool's size at the end

  // Actions whose line contains every one of `parts`.
  size_t Count(std::initializer_list<std::string> parts) const {
    size_t n = 0;
    for (const std::string& a : actions) {
      bool all = true;
      for (const std::string& p : parts) all &= a.find(p) != std::string::npos;
      n += all;
    }
    return n;
  }
};

inline ScenarioResult RunOn(const ir::Program& program, const core::Backend& backend, const std::string& events,
                            const std::string& until, engine::EngineOptions options = {});

// A loaded package checked and lowered; a package that does not check fails the test.
inline ir::Program LowerLoaded(driver::FrontEnd& fe) {
  driver::RunFrontEnd(fe);
  if (!fe.ok()) {
    std::ostringstream diags;
    diag::Render(fe.sink.All(), fe.sources.manager, {}, diags);
    FAIL("the scenario package does not check:\n" << diags.str());
  }
  return ir::LowerToIr(fe.package);
}

// A package text checked and lowered.
inline ir::Program LowerPackage(const std::string& package) {
  driver::FrontEnd fe;
  driver::LoadPackageText("scenario.quest", package, &fe.sources);
  return LowerLoaded(fe);
}

// An engine driven by hand (imports, queries between events) on the
// interpreter; Feed replays NDJSON text, failing the test on any rejection.
struct HandEngine {
  explicit HandEngine(const ir::Program& program)
      : interpreter(program), engine(program, interpreter, strings), reader(program.schema, strings) {}
  void Feed(const std::string& ndjson) {
    std::istringstream in(ndjson);
    io::ReplayHooks hooks;
    hooks.rejected = [](const io::Rejection& r) { FAIL("line " << r.line << " rejected: " << r.reason); };
    io::Replay(in, reader, engine, hooks);
  }
  interp::Interpreter interpreter;
  engine::StringPool strings;
  engine::Engine engine;
  io::EventReader reader;
};

inline ScenarioResult RunScenario(const std::string& package, const std::string& events,
                                  const std::string& until = "") {
  ir::Program program = LowerPackage(package);
  interp::Interpreter interpreter(program);
  ScenarioResult reference = RunOn(program, interpreter, events, until);

  {   // the engine's settle shortcut against the plain fixpoint (warnings count evaluations: not compared)
    INFO("interpreter with the plain settle fixpoint");
    engine::EngineOptions plain;
    plain.skip_settled_conditions = false;
    ScenarioResult fixpoint = RunOn(program, interpreter, events, until, plain);
    REQUIRE(fixpoint.actions == reference.actions);
    REQUIRE(fixpoint.state == reference.state);
  }

  for (int level : {1, 2}) {   // quest run's JIT, quest build's bundles
    INFO("JIT at --opt " << level);
    std::vector<std::string> objects;
    jit::CompileReport report;
    std::string error;
    jit::CompileOptions options;   // no cache dir: every scenario compiles cold
    options.opt_level = level;
    if (!jit::CompileProgram(program, options, &objects, &report, &error)) FAIL("the JIT cannot compile: " << error);
    std::unique_ptr<jit::NativeBackend> native = jit::NativeBackend::Load(program, objects, &error);
    if (!native) FAIL("the JIT cannot link: " << error);
    ScenarioResult jitted = RunOn(program, *native, events, until);
    REQUIRE(jitted.actions == reference.actions);
    REQUIRE(jitted.state == reference.state);
    REQUIRE(jitted.stats.warnings == reference.stats.warnings);
  }
  return reference;
}

// One backend's run of a scenario.
inline ScenarioResult RunOn(const ir::Program& program, const core::Backend& backend, const std::string& events,
                            const std::string& until, engine::EngineOptions options) {
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings, options);
  io::EventReader reader(program.schema, strings);
  io::LineActionSink sink;
  engine.SetSink(&sink);
  std::istringstream in(events);
  ScenarioResult result;
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection& r) { result.rejections.push_back(r); };
  io::Replay(in, reader, engine, hooks);
  if (!until.empty()) {
    int64_t t;
    REQUIRE(io::ParseTimestamp(until, &t));
    engine.AdvanceTo(t);
  }
  result.actions = std::move(sink.lines);
  result.state = engine.StateJson();
  result.stats = engine.Stats();
  result.reader_stats = reader.Stats();
  result.strings = strings.Size();
  return result;
}

// A one-line bet event for scenarios.
inline std::string Bet(const std::string& id, const std::string& user, const std::string& ts,
                       const std::string& amount, const std::string& game_type = "slots") {
  return R"({"id":")" + id + R"(","type":"bet","user":")" + user + R"(","ts":")" + ts +
         R"(","game":"book","provider":"p","game_type":")" + game_type + R"(","amount":)" + amount +
         R"(,"currency":"EUR","device":"mobile"})" + "\n";
}

inline std::string Event(const std::string& type, const std::string& id, const std::string& user,
                         const std::string& ts, const std::string& fields = "") {
  return R"({"id":")" + id + R"(","type":")" + type + R"(","user":")" + user + R"(","ts":")" + ts + "\"" +
         (fields.empty() ? "" : "," + fields) + "}\n";
}

}  // namespace questline::testing
