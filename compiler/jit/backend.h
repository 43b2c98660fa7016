// The JIT backend: a program's native code, linked into this process, behind
// the same interp::Backend interface as the interpreter. Every expression and
// block the engine can ask for has a native entry point; should one be
// missing, the interpreter (kept inside) answers, so the two can never
// disagree on what runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"
#include "compiler/ir/program.h"

namespace questline::jit {

class NativeBackend final : public interp::Backend {
 public:
  // Links `objects` (compiled from `program` for this host: compile.h or a
  // bundle). Null with `error` when they do not link. `program` must outlive
  // the backend.
  static std::unique_ptr<NativeBackend> Load(const ir::Program& program, const std::vector<std::string>& objects,
                                             std::string* error);
  ~NativeBackend() override;

  interp::Value Eval(ir::ExprRef e, interp::Frame& frame, interp::Runtime& rt) const override;
  bool Test(ir::ExprRef e, interp::Frame& frame, interp::Runtime& rt) const override;
  void Run(const ir::Block& block, interp::Frame& frame, interp::Runtime& rt) const override;
  void HandleEvent(const engine::Event& event, interp::Runtime& rt) const override;

 private:
  struct Impl;
  explicit NativeBackend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace questline::jit
