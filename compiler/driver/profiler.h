// quest run --profile: how often each rule, metric, mission and flow ran and
// how long it took, from the engine's tracer spans (trace_spans.def).
//
// Method: a span's time is steady_clock from its SpanBegin to its SpanEnd,
// inclusive of what it set off (a rule's awards and their policies, a task's
// block). Rule conditions run in the backend's compiled handler and are not
// spanned: their time is in the replay's total, not in any rule's. Overhead:
// two clock reads and two virtual calls per span (some 50-100 ns), so a
// profiled run is slower than a plain one; compare constructs with each other,
// not the profiled total with an unprofiled run.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/ir/program.h"
#include "runtime/engine/trace.h"

namespace questline::driver {

class Profiler final : public engine::Tracer {
 public:
  explicit Profiler(const ir::Program& program);
  void SpanBegin(engine::TraceSpan kind, int32_t id) override;
  void SpanEnd(engine::TraceSpan kind, int32_t id) override;

  struct Row {
    engine::TraceSpan kind;
    std::string name;
    uint64_t count = 0;
    int64_t ns = 0;
  };
  // Every rule, metric, mission and flow of the program, the most time first
  // (then the most runs, then by kind and name): constructs that never ran
  // are listed last, with zeros.
  std::vector<Row> Rows() const;
  // `total_ns`: the whole replay, for the share of each row.
  void PrintText(std::ostream& out, int64_t total_ns, uint64_t events) const;
  void PrintJson(std::ostream& out, int64_t total_ns, uint64_t events) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Open { engine::TraceSpan kind; int32_t id; Clock::time_point start; };
  std::vector<Row> rows_;                   // by kind's offset + id
  std::vector<size_t> offset_;              // by kind: its first row
  std::vector<Open> open_;                  // spans nest
};

}  // namespace questline::driver
