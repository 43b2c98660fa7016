// Builtin functions: the native image of interp::Interpreter::EvalBuiltin.
// Pure ones become selects; those that call the runtime (hour, lower,
// contains…) run only when their arguments exist, as in the interpreter.
#include "compiler/jit/codegen.h"

namespace questline::jit {

using core::ValueKind;

CgValue Emitter::Builtin(const ir::Node& n) {
  const ir::Program& p = mc_.program;
  auto kid = [&](uint32_t i) { return Expr(p.Child(n, i)); };
  auto i8 = [&](ValueKind k) { return b_.getInt8(uint8_t(k)); };
  const int64_t scale = core::kDecimalScale;
  const auto fn = static_cast<ir::BuiltinFn>(n.a);
  switch (fn) {
    case ir::BuiltinFn::Has: {
      CgValue v = kid(0);
      return {b_.CreateZExt(b_.CreateNot(v.none), b_.getInt64Ty()), i8(ValueKind::Bool), b_.getFalse()};
    }
    case ir::BuiltinFn::Floor:
    case ir::BuiltinFn::Ceil:
    case ir::BuiltinFn::Round: {
      CgValue v = kid(0);
      // Floor division first, then the rounding step of the interpreter.
      llvm::Value* q = b_.CreateSDiv(v.i, b_.getInt64(scale));
      llvm::Value* r = b_.CreateSRem(v.i, b_.getInt64(scale));
      llvm::Value* negative = b_.CreateICmpSLT(r, b_.getInt64(0));
      q = b_.CreateSelect(negative, b_.CreateSub(q, b_.getInt64(1)), q);
      r = b_.CreateSelect(negative, b_.CreateAdd(r, b_.getInt64(scale)), r);
      llvm::Value* up = nullptr;
      if (fn == ir::BuiltinFn::Ceil) up = b_.CreateICmpSGT(r, b_.getInt64(0));
      if (fn == ir::BuiltinFn::Round) up = b_.CreateICmpSGE(b_.CreateMul(r, b_.getInt64(2)), b_.getInt64(scale));
      if (up) q = b_.CreateSelect(up, b_.CreateAdd(q, b_.getInt64(1)), q);
      return Select(v.none, Constant(0, ValueKind::Int, true), {q, i8(ValueKind::Int), b_.getFalse()});
    }
    case ir::BuiltinFn::Abs: {
      CgValue v = kid(0);
      llvm::Value* magnitude = b_.CreateSelect(b_.CreateICmpSLT(v.i, b_.getInt64(0)), SaturatingNeg(b_, v.i), v.i);
      return {b_.CreateSelect(v.none, v.i, magnitude), v.kind, v.none};
    }
    case ir::BuiltinFn::Min:
    case ir::BuiltinFn::Max: {
      CgValue a = kid(0), b = kid(1);
      llvm::Value* take_a = fn == ir::BuiltinFn::Min ? b_.CreateICmpSLE(a.i, b.i) : b_.CreateICmpSGE(a.i, b.i);
      CgValue r = Select(take_a, a, b);
      r = Select(b.none, a, r);
      return Select(a.none, b, r);
    }
    case ir::BuiltinFn::Hour:
    case ir::BuiltinFn::Weekday: {
      CgValue t = kid(0);
      const char* call = fn == ir::BuiltinFn::Hour ? "ql_hour" : "ql_weekday";
      return Guarded(b_.CreateNot(t.none), [&] {
        return CgValue{b_.CreateCall(Runtime(call), {frame_, t.i}), i8(ValueKind::Int), b_.getFalse()};
      }, Constant(0, ValueKind::Int, true));
    }
    case ir::BuiltinFn::Lower:
    case ir::BuiltinFn::Upper: {
      CgValue v = kid(0);
      llvm::Value* upper = b_.getInt32(fn == ir::BuiltinFn::Upper ? 1 : 0);
      return Guarded(b_.CreateNot(v.none), [&] {
        return CgValue{b_.CreateCall(Runtime("ql_change_case"), {frame_, v.i, upper}), i8(ValueKind::String), b_.getFalse()};
      }, v);
    }
    case ir::BuiltinFn::Contains:
    case ir::BuiltinFn::StartsWith: {
      CgValue a = kid(0), b = kid(1);
      llvm::Value* both = b_.CreateAnd(b_.CreateNot(a.none), b_.CreateNot(b.none));
      llvm::Value* starts = b_.getInt32(fn == ir::BuiltinFn::StartsWith ? 1 : 0);
      return Guarded(both, [&] {
        llvm::Value* r = b_.CreateCall(Runtime("ql_string_test"), {frame_, a.i, b.i, starts});
        return CgValue{b_.CreateZExt(b_.CreateICmpNE(r, b_.getInt32(0)), b_.getInt64Ty()), i8(ValueKind::Bool), b_.getFalse()};
      }, Constant(0, ValueKind::Bool, false));
    }
  }
  return Constant(0, n.type, true);
}

}  // namespace questline::jit
