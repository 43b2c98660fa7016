// Shared by the fuzz targets that end with a program (frontend, bundle): runs
// it on the interpreter and the engine, one event of each type with its
// fields' defaults, then a week of timers. Whatever a program that lowered
// or passed ir::CheckIr does, it must not crash the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"
#include "core/ir/program.h"
#include "runtime/engine/engine.h"
#include "runtime/io/replay.h"

namespace questline::fuzz {

inline void RunProgram(const ir::Program& program) {
  interp::Interpreter backend(program);
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings);
  const int64_t start = 1'796'126'400'000;   // 2026-12-01T10:00:00Z
  std::vector<core::Event> events(program.schema.types.size());
  for (size_t t = 0; t < events.size(); ++t) {
    core::Event& event = events[t];
    event.type = int32_t(t);
    for (const core::FieldSchema& f : program.schema.types[t].fields) event.fields.push_back(f.default_value);
    event.fields[core::kFieldId] = core::Value::String(strings.Intern("e" + std::to_string(t)));
    event.fields[core::kFieldUser] = core::Value::String(strings.Intern("u1"));
    event.fields[core::kFieldTs] = core::Value::Time(start + int64_t(t) * 60'000);
  }
  io::ReplayEvents(events, engine);
  engine.AdvanceTo(start + 7 * 86'400'000);
  engine.DrainActions();
  engine.StateJson();
}

}  // namespace questline::fuzz
