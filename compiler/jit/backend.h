// The JIT backend: a program's native code, linked into this process, behind
// the same core::Backend interface as the interpreter. Every expression and
// block the engine can ask for has a native entry point; should one be
// missing, the interpreter (kept inside) answers, so the two can never
// disagree on what runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/ir/program.h"

namespace questline::jit {

class NativeBackend final : public core::Backend {
 public:
  // Links `objects` (compiled from `program` for this host: compile.h or a
  // bundle). Null with `error` when they do not link. `program` must outlive
  // the backend.
  static std::unique_ptr<NativeBackend> Load(const ir::Program& program, const std::vector<std::string>& objects,
                                             std::string* error);
  ~NativeBackend() override;

  core::Value Eval(ir::ExprRef e, core::Frame& frame, core::Runtime& rt) const override;
  bool Test(ir::ExprRef e, core::Frame& frame, core::Runtime& rt) const override;
  void Run(const ir::Block& block, core::Frame& frame, core::Runtime& rt) const override;
  void HandleEvent(const core::Event& event, core::Runtime& rt) const override;

 private:
  struct Impl;
  explicit NativeBackend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace questline::jit
