// quest explain's observer: for one player, each step's rules (fired, or not
// and why: the value of every part of the condition, as the interpreter
// computes it in the rule's own frame), limits and caps hit, policy blocks,
// task progress, segment entries and exits, flow steps and the actions.
// It is the engine's Tracer and the interpreter's RuleProbe at once.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/source_map.h"
#include "core/ir/program.h"
#include "runtime/engine/trace.h"

namespace questline::driver {

class ExplainTracer final : public engine::Tracer, public interp::RuleProbe {
 public:
  // Steps of `user` at or before `at` are written to `out`.
  ExplainTracer(const ir::Program& program, const interp::Interpreter& interpreter, const ir::SourceMap& map,
                const diag::SourceManager& sources, std::string user, int64_t at, std::ostream& out);

  void Step(const std::string& user, const std::string& event_id, const core::Event* event, int64_t now) override;
  void BeforeRule(int32_t rule, core::Frame& frame, core::Runtime& rt) override;
  void RuleHeld(int32_t rule, bool admitted) override;
  void CapHit(int32_t rule, int32_t currency, int64_t asked, int64_t left) override;
  void TaskCounted(int32_t mission, int32_t task, core::Value value, core::Value threshold, bool reached) override;
  void SegmentMoved(int32_t segment, bool member) override;
  void FlowStep(int32_t flow, int32_t op) override;
  void Emitted(const engine::Action& action) override;
  // The last rule's outcome: call once the run is over.
  void Finish() { Resolve(); }
  uint64_t Steps() const { return steps_; }

 private:
  void Resolve();   // the pending rule's outcome, once known
  // `ref` and its parts, one line each, indented by depth; a part the
  // condition did not need (after `and`'s false, `or`'s true) is not evaluated.
  void Explain(ir::ExprRef ref, int depth, core::Frame& frame, core::Runtime& rt, std::vector<std::string>& lines);
  std::string Text(const diag::SourceRange& range) const;
  std::string Where(const diag::SourceRange& range) const;   // file:line

  const ir::Program& p_;
  const interp::Interpreter& interp_;
  const ir::SourceMap& map_;
  const diag::SourceManager& sources_;
  std::string user_;
  int64_t at_;
  std::ostream& out_;
  bool active_ = false;                  // the step is the player's, and not after --at
  int32_t pending_ = -1;                 // a rule tested, its outcome not yet known
  std::vector<std::string> pending_lines_;
  uint64_t steps_ = 0;
};

}  // namespace questline::driver
