// An optional observer of the engine (EngineOptions::tracer), for the tools
// that look inside a run: quest explain, quest run --profile and quest test
// --coverage. Null by default: every call site tests the pointer first, so a
// run without a tracer pays one well-predicted branch per site and writes the
// same bytes. A tracer only observes: it must not call back into the engine.
#pragma once

#include <cstdint>
#include <string>

#include "core/event.h"
#include "core/value.h"
#include "runtime/engine/action.h"

namespace questline::engine {

enum class TraceSpan : uint8_t {
#define QUESTLINE_TRACE_SPAN(Kind, name) Kind,
#include "runtime/engine/trace_spans.def"
};
const char* TraceSpanName(TraceSpan kind);

class Tracer {
 public:
  virtual ~Tracer() = default;
  // A step begins: (user, event id, the event or null for a timer, now).
  virtual void Step(const std::string&, const std::string&, const core::Event*, int64_t) {}
  // The event's metrics are counted: its plan's rules are tested next, in order.
  virtual void RulesBegin(const core::Event&) {}
  // (rule, admitted): the rule's condition held; admitted false when its limit refused the firing.
  virtual void RuleHeld(int32_t, bool) {}
  // (rule, currency, asked, left): an award the running rule's cap cut.
  virtual void CapHit(int32_t, int32_t, int64_t, int64_t) {}
  // (mission, task, value, threshold, reached): a task counted the event.
  virtual void TaskCounted(int32_t, int32_t, core::Value, core::Value, bool) {}
  // (segment, member): the player entered (true) or left a segment.
  virtual void SegmentMoved(int32_t, bool) {}
  // (flow, op): an instance executes op `op` of the flow (ir::Flow::ops).
  virtual void FlowStep(int32_t, int32_t) {}
  // (kind, id): time spans, nested as the constructs are (trace_spans.def).
  virtual void SpanBegin(TraceSpan, int32_t) {}
  virtual void SpanEnd(TraceSpan, int32_t) {}
  // Every action, as it is delivered (numbered).
  virtual void Emitted(const Action&) {}
};

// A span around a scope, when there is a tracer.
class ScopedSpan {
 public:
  ScopedSpan(Tracer* tracer, TraceSpan kind, int32_t id) : tracer_(tracer), kind_(kind), id_(id) {
    if (tracer_) tracer_->SpanBegin(kind_, id_);
  }
  ~ScopedSpan() {
    if (tracer_) tracer_->SpanEnd(kind_, id_);
  }
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;

 private:
  Tracer* tracer_;
  TraceSpan kind_;
  int32_t id_;
};

}  // namespace questline::engine
