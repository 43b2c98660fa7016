// Expressions: one case per ir::NodeKind, each the native image of the same
// case in interp::Interpreter::Eval. Pure operations become selects; anything
// with an effect (a warning, interning a string) or that must not run on a
// none value sits behind a branch, exactly where the interpreter tests.
#include <llvm/IR/Intrinsics.h>

#include "compiler/jit/codegen.h"

namespace questline::jit {

using core::ValueKind;
using ir::NodeKind;

Emitter::Emitter(ModuleContext& mc, llvm::Function* fn, LocalsMode mode)
    : mc_(mc), fn_(fn), b_(mc.ctx), entry_(mc.ctx), frame_(fn->getArg(0)), mode_(mode) {
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(mc.ctx, "entry", fn);
  b_.SetInsertPoint(entry);
  entry_.SetInsertPoint(entry);
  // The frame never changes while generated code runs: read it once.
  fields_ = b_.CreateLoad(mc.value_type->getPointerTo(), FramePtr(jit::FrameField::Fields), "fields");
  field_count_ = b_.CreateLoad(b_.getInt64Ty(), FramePtr(jit::FrameField::FieldCount), "field_count");
  locals_ = b_.CreateLoad(mc.value_type->getPointerTo(), FramePtr(jit::FrameField::Locals), "locals");
  params_ = b_.CreateLoad(mc.value_type->getPointerTo(), FramePtr(jit::FrameField::Params), "params");
}

llvm::Value* Emitter::FramePtr(jit::FrameField f) {
  return b_.CreateStructGEP(mc_.frame_type, frame_, unsigned(f));
}

llvm::AllocaInst* Emitter::EntryAlloca(llvm::Type* type, const char* name, unsigned count) {
  llvm::BasicBlock& entry = fn_->getEntryBlock();
  entry_.SetInsertPoint(&entry, entry.begin());
  return entry_.CreateAlloca(type, count == 1 ? nullptr : entry_.getInt32(count), name);
}

CgValue Emitter::Constant(int64_t i, ValueKind kind, bool none) {
  return {b_.getInt64(uint64_t(i)), b_.getInt8(uint8_t(kind)), b_.getInt1(none)};
}

// The second word (kind, none and padding) is written as one i64: C++ reads a
// Value as two 8-byte words, and a word assembled from byte stores cannot be
// forwarded from the store buffer (a stall on every returned value).
void Emitter::StoreValue(const CgValue& v, llvm::Value* ptr) {
  b_.CreateStore(v.i, b_.CreateStructGEP(mc_.value_type, ptr, 0));
  llvm::Value* word = b_.CreateOr(b_.CreateZExt(v.kind, b_.getInt64Ty()),
                                  b_.CreateShl(b_.CreateZExt(v.none, b_.getInt64Ty()), 8));
  llvm::Value* at = b_.CreateBitCast(b_.CreateStructGEP(mc_.value_type, ptr, 1), b_.getInt64Ty()->getPointerTo());
  b_.CreateStore(word, at);
}

CgValue Emitter::LoadValue(llvm::Value* ptr) {
  llvm::Value* i = b_.CreateLoad(b_.getInt64Ty(), b_.CreateStructGEP(mc_.value_type, ptr, 0));
  llvm::Value* kind = b_.CreateLoad(b_.getInt8Ty(), b_.CreateStructGEP(mc_.value_type, ptr, 1));
  llvm::Value* none = b_.CreateLoad(b_.getInt8Ty(), b_.CreateStructGEP(mc_.value_type, ptr, 2));
  return {i, kind, b_.CreateICmpNE(none, b_.getInt8(0))};
}

CgValue Emitter::Select(llvm::Value* cond, const CgValue& a, const CgValue& b) {
  return {b_.CreateSelect(cond, a.i, b.i), b_.CreateSelect(cond, a.kind, b.kind),
          b_.CreateSelect(cond, a.none, b.none)};
}

CgValue Emitter::Guarded(llvm::Value* cond, const std::function<CgValue()>& then, const CgValue& otherwise) {
  llvm::BasicBlock* before = b_.GetInsertBlock();
  llvm::BasicBlock* then_bb = llvm::BasicBlock::Create(mc_.ctx, "then", fn_);
  llvm::BasicBlock* join = llvm::BasicBlock::Create(mc_.ctx, "join", fn_);
  b_.CreateCondBr(cond, then_bb, join);
  b_.SetInsertPoint(then_bb);
  CgValue t = then();
  llvm::BasicBlock* then_end = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  auto phi = [&](llvm::Value* x, llvm::Value* y) {
    llvm::PHINode* p = b_.CreatePHI(x->getType(), 2);
    p->addIncoming(x, then_end);
    p->addIncoming(y, before);
    return p;
  };
  return {phi(t.i, otherwise.i), phi(t.kind, otherwise.kind), phi(t.none, otherwise.none)};
}

void Emitter::If(llvm::Value* cond, const std::function<void()>& then) {
  llvm::BasicBlock* then_bb = llvm::BasicBlock::Create(mc_.ctx, "if", fn_);
  llvm::BasicBlock* join = llvm::BasicBlock::Create(mc_.ctx, "endif", fn_);
  b_.CreateCondBr(cond, then_bb, join);
  b_.SetInsertPoint(then_bb);
  then();
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
}

llvm::Value* Emitter::Truth(ir::ExprRef e) {
  if (e < 0) return b_.getTrue();
  CgValue v = Expr(e);
  return b_.CreateAnd(b_.CreateNot(v.none), b_.CreateICmpNE(v.i, b_.getInt64(0)));
}

void Emitter::BeginHandler(size_t field_count) {
  llvm::BasicBlock* body = llvm::BasicBlock::Create(mc_.ctx, "body", fn_);
  b_.CreateBr(body);
  prologue_ = b_.GetInsertBlock();
  b_.SetInsertPoint(body);
  event_field_count_ = field_count;
}

// An event-pure value, computed once per handler at the end of the prologue,
// where it dominates every use.
CgValue Emitter::Hoisted(ir::ExprRef e) {
  const int32_t number = mc_.numbers.number[size_t(e)];
  if (auto it = hoisted_.find(number); it != hoisted_.end()) return it->second;
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  b_.SetInsertPoint(prologue_->getTerminator());
  CgValue v = Node(e);
  hoisted_.emplace(number, v);
  return v;
}

CgValue Emitter::Expr(ir::ExprRef e) {
  if (++depth_ > kMaxExprDepth) throw CodegenError("an expression nests deeper than the JIT's limit");
  CgValue v = prologue_ && mc_.numbers.event_pure[size_t(e)]                          ? Hoisted(e)
              : memo_active_ && memo_wanted_[size_t(mc_.numbers.number[size_t(e)])] ? Memoised(e)
                                                                                     : Node(e);
  --depth_;
  return v;
}


CgValue Emitter::Node(ir::ExprRef e) {
  const ir::Program& p = mc_.program;
  const ir::Node& n = p.At(e);
  auto kid = [&](uint32_t i) { return Expr(p.Child(n, i)); };
  auto boolean = [&](llvm::Value* bit) { return CgValue{b_.CreateZExt(bit, b_.getInt64Ty()), b_.getInt8(uint8_t(ValueKind::Bool)), b_.getFalse()}; };
  auto out_call = [&](const char* name, std::vector<llvm::Value*> args) {
    llvm::AllocaInst* out = EntryAlloca(mc_.value_type, "out");
    args.push_back(out);
    b_.CreateCall(Runtime(name), args);
    return LoadValue(out);
  };
  const CgValue none_of_type = Constant(0, n.type, true);
  switch (n.kind) {
    case NodeKind::Const:
      if (n.none) return none_of_type;
      if (n.type == ValueKind::String)
        return {b_.CreateCall(Runtime("ql_string_id"), {frame_, b_.getInt64(uint64_t(n.imm))}), b_.getInt8(uint8_t(ValueKind::String)), b_.getFalse()};
      return Constant(n.imm, n.type, false);
    case NodeKind::EventField: {
      if (prologue_) {   // a handler: the backend has checked the field count
        if (size_t(n.a) >= event_field_count_) return none_of_type;
        return LoadValue(b_.CreateGEP(mc_.value_type, fields_, b_.getInt64(uint64_t(n.a))));
      }
      llvm::Value* present = b_.CreateICmpULT(b_.getInt64(uint64_t(n.a)), field_count_);
      return Guarded(present, [&] { return LoadValue(b_.CreateGEP(mc_.value_type, fields_, b_.getInt64(uint64_t(n.a)))); },
                     none_of_type);
    }
    case NodeKind::ProfileField: return out_call("ql_profile", {frame_, b_.getInt32(uint32_t(n.a))});
    case NodeKind::Metric: return out_call("ql_metric", {frame_, b_.getInt32(uint32_t(n.a))});
    case NodeKind::Segment:
      return boolean(b_.CreateICmpNE(b_.CreateCall(Runtime("ql_segment"), {frame_, b_.getInt32(uint32_t(n.a))}), b_.getInt32(0)));
    case NodeKind::Param: return LoadValue(b_.CreateGEP(mc_.value_type, params_, b_.getInt64(uint64_t(n.a))));
    case NodeKind::Local: return Local(n);
    case NodeKind::Balance:
      return {b_.CreateCall(Runtime("ql_balance"), {frame_, b_.getInt32(uint32_t(n.a))}), b_.getInt8(uint8_t(ValueKind::Int)), b_.getFalse()};
    case NodeKind::PointsEver:
      return {b_.CreateCall(Runtime("ql_points_ever"), {frame_}), b_.getInt8(uint8_t(ValueKind::Int)), b_.getFalse()};
    case NodeKind::Level: return out_call("ql_level", {frame_});
    case NodeKind::Now:
      return {b_.CreateCall(Runtime("ql_now"), {frame_}), b_.getInt8(uint8_t(ValueKind::Time)), b_.getFalse()};
    case NodeKind::Builtin: return Builtin(n);
    case NodeKind::Call: return Call(n);
    case NodeKind::Not: {
      CgValue v = kid(0);
      return boolean(b_.CreateAnd(b_.CreateNot(v.none), b_.CreateICmpEQ(v.i, b_.getInt64(0))));
    }
    case NodeKind::Neg: {
      CgValue v = kid(0);
      return Select(v.none, v, CgValue{SaturatingNeg(b_, v.i), b_.getInt8(uint8_t(n.type)), b_.getFalse()});
    }
    case NodeKind::And:
    case NodeKind::Or:
      if (prologue_ && mc_.numbers.event_pure[size_t(e)]) {
        // Both sides are pure: evaluating the right one regardless is unobservable.
        auto holds = [&](const CgValue& v) { return b_.CreateAnd(b_.CreateNot(v.none), b_.CreateICmpNE(v.i, b_.getInt64(0))); };
        llvm::Value* x = holds(kid(0));
        llvm::Value* y = holds(kid(1));
        return boolean(n.kind == NodeKind::And ? b_.CreateAnd(x, y) : b_.CreateOr(x, y));
      }
      return AndOr(n);
    case NodeKind::Widen: {
      CgValue v = kid(0);
      CgValue widened{SaturatingMul(b_, v.i, b_.getInt64(core::kDecimalScale)), b_.getInt8(uint8_t(ValueKind::Decimal)),
                      b_.getFalse()};
      return Select(v.none, Constant(0, ValueKind::Decimal, true), widened);
    }
    default: break;
  }
  // Binary operators: both operands are always evaluated, left first.
  CgValue a = kid(0), b = kid(1);
  llvm::Value* both = b_.CreateAnd(b_.CreateNot(a.none), b_.CreateNot(b.none));
  switch (n.kind) {
    case NodeKind::Eq: return boolean(b_.CreateAnd(both, b_.CreateICmpEQ(a.i, b.i)));
    case NodeKind::Ne: return boolean(b_.CreateAnd(both, b_.CreateICmpNE(a.i, b.i)));
    case NodeKind::Lt: return boolean(b_.CreateAnd(both, b_.CreateICmpSLT(a.i, b.i)));
    case NodeKind::Le: return boolean(b_.CreateAnd(both, b_.CreateICmpSLE(a.i, b.i)));
    case NodeKind::Gt: return boolean(b_.CreateAnd(both, b_.CreateICmpSGT(a.i, b.i)));
    case NodeKind::Ge: return boolean(b_.CreateAnd(both, b_.CreateICmpSGE(a.i, b.i)));
    default: return Arithmetic(n, a, b);
  }
}

CgValue Emitter::Arithmetic(const ir::Node& n, const CgValue& a, const CgValue& b) {
  llvm::Value* both = b_.CreateAnd(b_.CreateNot(a.none), b_.CreateNot(b.none));
  const CgValue none_of_type = Constant(0, n.type, true);
  llvm::Value* kind = b_.getInt8(uint8_t(n.type));
  switch (n.kind) {
    case NodeKind::Add:
      return Select(both, {b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_sat, a.i, b.i), kind, b_.getFalse()}, none_of_type);
    case NodeKind::Sub:
      return Select(both, {b_.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_sat, a.i, b.i), kind, b_.getFalse()}, none_of_type);
    case NodeKind::Mul:
      if (n.type == ValueKind::Decimal) return Guarded(both, [&] { return DecimalMulDiv(n, a.i, b.i); }, none_of_type);
      return Select(both, {SaturatingMul(b_, a.i, b.i), kind, b_.getFalse()}, none_of_type);
    case NodeKind::Div: return Guarded(both, [&] { return DecimalMulDiv(n, a.i, b.i); }, none_of_type);
    default: return none_of_type;
  }
}

// Fixed-point a*b/scale and a*scale/b. When the 64-bit intermediate product
// cannot overflow (and b is not zero), it is exact, and truncating 64-bit
// division gives the interpreter's 128-bit answer; otherwise the
// interpreter's own routine runs, with its saturation and its warnings.
CgValue Emitter::DecimalMulDiv(const ir::Node& n, llvm::Value* x, llvm::Value* y) {
  const bool mul = n.kind == NodeKind::Mul;
  llvm::Value* scale = b_.getInt64(core::kDecimalScale);
  llvm::Value* pair = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smul_with_overflow, x, mul ? y : scale);
  llvm::Value* product = b_.CreateExtractValue(pair, 0);
  llvm::Value* slow = b_.CreateExtractValue(pair, 1);
  if (!mul) slow = b_.CreateOr(slow, b_.CreateICmpEQ(y, b_.getInt64(0)));
  llvm::BasicBlock* fast_bb = llvm::BasicBlock::Create(mc_.ctx, "fast", fn_);
  llvm::BasicBlock* slow_bb = llvm::BasicBlock::Create(mc_.ctx, "slow", fn_);
  llvm::BasicBlock* join = llvm::BasicBlock::Create(mc_.ctx, "join", fn_);
  b_.CreateCondBr(slow, slow_bb, fast_bb);
  b_.SetInsertPoint(fast_bb);
  llvm::Value* quotient = b_.CreateSDiv(product, mul ? scale : y);
  b_.CreateBr(join);
  b_.SetInsertPoint(slow_bb);
  llvm::Value* called = b_.CreateCall(Runtime(mul ? "ql_decimal_mul" : "ql_decimal_div"), {frame_, x, y});
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  llvm::PHINode* r = b_.CreatePHI(b_.getInt64Ty(), 2);
  r->addIncoming(quotient, fast_bb);
  r->addIncoming(called, slow_bb);
  return {r, b_.getInt8(uint8_t(ValueKind::Decimal)), b_.getFalse()};
}

CgValue Emitter::AndOr(const ir::Node& n) {
  const ir::Program& p = mc_.program;
  CgValue a = Expr(p.Child(n, 0));
  llvm::Value* a_holds = b_.CreateAnd(b_.CreateNot(a.none), b_.CreateICmpNE(a.i, b_.getInt64(0)));
  const bool is_and = n.kind == NodeKind::And;
  auto right = [&] {
    CgValue v = Expr(p.Child(n, 1));
    llvm::Value* holds = b_.CreateAnd(b_.CreateNot(v.none), b_.CreateICmpNE(v.i, b_.getInt64(0)));
    return CgValue{b_.CreateZExt(holds, b_.getInt64Ty()), b_.getInt8(uint8_t(ValueKind::Bool)), b_.getFalse()};
  };
  // The right operand runs only when the left one does not decide.
  return Guarded(is_and ? a_holds : b_.CreateNot(a_holds), right, Constant(is_and ? 0 : 1, ValueKind::Bool, false));
}

CgValue Emitter::Local(const ir::Node& n) {
  if (mode_ == LocalsMode::Registers) {
    if (size_t(n.a) < local_slots_.size()) return LoadValue(local_slots_[size_t(n.a)]);
    return Constant(0, n.type, true);
  }
  llvm::Value* present = b_.CreateICmpNE(locals_, llvm::ConstantPointerNull::get(mc_.value_type->getPointerTo()));
  return Guarded(present, [&] { return LoadValue(b_.CreateGEP(mc_.value_type, locals_, b_.getInt64(uint64_t(n.a)))); },
                 Constant(0, n.type, true));
}

void Emitter::ResetLocals(int32_t count) {
  while (local_slots_.size() < size_t(count)) local_slots_.push_back(EntryAlloca(mc_.value_type, "local"));
  for (int32_t i = 0; i < count; ++i) StoreValue(Constant(0, ValueKind::Int, false), local_slots_[size_t(i)]);
}

CgValue Emitter::Call(const ir::Node& n) {
  const ir::Program& p = mc_.program;
  llvm::Function* callee = mc_.UserFn(n.a);
  llvm::AllocaInst* args = EntryAlloca(mc_.value_type, "args", std::max<uint32_t>(n.count, 1));
  for (uint32_t i = 0; i < n.count; ++i)
    StoreValue(Expr(p.Child(n, i)), b_.CreateGEP(mc_.value_type, args, b_.getInt64(i)));
  // The callee sees the same event, no let-slots, and its arguments.
  llvm::AllocaInst* inner = EntryAlloca(mc_.frame_type, "call_frame");
  auto field = [&](jit::FrameField f) { return b_.CreateStructGEP(mc_.frame_type, inner, unsigned(f)); };
  b_.CreateStore(fields_, field(jit::FrameField::Fields));
  b_.CreateStore(field_count_, field(jit::FrameField::FieldCount));
  b_.CreateStore(llvm::ConstantPointerNull::get(mc_.value_type->getPointerTo()), field(jit::FrameField::Locals));
  b_.CreateStore(args, field(jit::FrameField::Params));
  for (jit::FrameField f : {jit::FrameField::Runtime, jit::FrameField::Stmts})
    b_.CreateStore(b_.CreateLoad(b_.getInt8PtrTy(), FramePtr(f)), field(f));
  llvm::AllocaInst* out = EntryAlloca(mc_.value_type, "result");
  b_.CreateCall(callee, {inner, out});
  return LoadValue(out);
}

}  // namespace questline::jit
