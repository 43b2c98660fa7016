// The contract between the engine and a backend: the engine implements
// Runtime (what expressions read and statements do) and runs a program through
// a Backend (the interpreter in compiler/interp/, the JIT in compiler/jit/).
// Here in core so that the runtime depends on neither backend.
#pragma once

#include <string>
#include <vector>

#include "core/event.h"
#include "core/ir/program.h"
#include "core/value.h"

namespace questline::core {

// What expressions read and statements do, as the engine provides it.
class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual Value Metric(int32_t id) = 0;
  virtual bool Segment(int32_t id) = 0;
  virtual Value Profile(int32_t field) = 0;
  virtual int64_t Balance(int32_t currency) = 0;
  virtual int64_t PointsEver() = 0;
  virtual Value Level() = 0;
  virtual int64_t Now() = 0;
  virtual int Hour(int64_t t) = 0;
  virtual int Weekday(int64_t t) = 0;
  virtual uint32_t StringId(int64_t program_string) = 0;   // literal -> interned id
  virtual const std::string& StringText(uint32_t id) = 0;
  virtual uint32_t InternText(const std::string& s) = 0;
  virtual void CountWarning(const char* what) = 0;         // e.g. division by zero
  // Effects. `amount` is already evaluated; the engine applies policies.
  virtual void Effect(const ir::Stmt& stmt, Value value, const std::vector<Value>& data) = 0;
  // The steps of an event's handler that stay in C++ (Backend::HandleEvent):
  // one matching event into a metric's aggregate; the metrics done (the
  // engine re-evaluates the segments they move, so that rules see them as of
  // this event); a rule whose condition held starting (false: its limit is
  // reached, skip it) and finishing.
  virtual void AddToMetric(int32_t metric, Value argument) = 0;
  virtual void MetricsDone() = 0;
  virtual bool EnterRule(int32_t rule) = 0;
  virtual void LeaveRule() = 0;
};

// Per evaluation: the current event (may be null), let-slots and fn parameters.
struct Frame {
  const core::Event* event = nullptr;
  std::vector<Value>* locals = nullptr;
  const Value* params = nullptr;
};

// The one interface both backends implement: the interpreter
// (compiler/interp/) and the JIT (compiler/jit/). The engine only ever talks
// to a Backend.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Value Eval(ir::ExprRef e, Frame& frame, Runtime& rt) const = 0;
  // A condition: an absent one (-1) holds; a none value does not.
  virtual bool Test(ir::ExprRef e, Frame& frame, Runtime& rt) const = 0;
  // Runs a block of immediate statements. Flow steps (wait, split…) are the engine's.
  virtual void Run(const ir::Block& block, Frame& frame, Runtime& rt) const = 0;
  // The event's own handler, the metric and rule steps of LANGUAGE.md §11: for
  // each metric of the event's plan whose filter holds, AddToMetric(argument);
  // then MetricsDone, once, whatever the plan; then for each rule in package
  // order whose condition holds (with fresh let-slots) and that EnterRule
  // admits, its body, then LeaveRule. The JIT compiles this into one native
  // function per event type.
  virtual void HandleEvent(const Event& event, Runtime& rt) const = 0;
};

}  // namespace questline::core
