// The reference interpreter: evaluates IR expressions and runs IR blocks.
// Clear before clever: a switch over node kinds, no allocation per node, and
// every effect goes through the Runtime interface the engine implements.
#pragma once

#include <vector>

#include "core/backend.h"
#include "core/ir/program.h"
#include "core/value.h"

namespace questline::interp {

using core::Backend;
using core::Frame;
using core::Runtime;
using core::Value;

// Told before HandleEvent tests each rule's condition, with the frame the
// condition is tested in: quest explain reads the condition's parts there.
class RuleProbe {
 public:
  virtual ~RuleProbe() = default;
  virtual void BeforeRule(int32_t rule, Frame& frame, Runtime& rt) = 0;
};

class Interpreter final : public Backend {
 public:
  explicit Interpreter(const ir::Program& program) : p_(program) {}
  // Null (the default): no probe.
  void SetRuleProbe(RuleProbe* probe) { probe_ = probe; }

  Value Eval(ir::ExprRef e, Frame& frame, Runtime& rt) const override;
  bool Test(ir::ExprRef e, Frame& frame, Runtime& rt) const override;
  void Run(const ir::Block& block, Frame& frame, Runtime& rt) const override;
  void HandleEvent(const core::Event& event, Runtime& rt) const override;

  // Fixed-point arithmetic shared with the JIT's reference behaviour.
  static int64_t DecimalMul(int64_t a, int64_t b, bool* overflow);
  static int64_t DecimalDiv(int64_t a, int64_t b, bool* by_zero);

 private:
  Value EvalBuiltin(const ir::Node& n, Frame& frame, Runtime& rt) const;
  const ir::Program& p_;
  RuleProbe* probe_ = nullptr;
};

}  // namespace questline::interp
