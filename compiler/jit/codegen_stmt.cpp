// Statements: the native image of interp::Interpreter::Run. Effects are one
// runtime call each, with the value and the send data evaluated first, in the
// interpreter's order; flow steps are the engine's and compile to nothing.
#include "compiler/jit/codegen.h"

namespace questline::jit {

void Emitter::Block(const ir::Block& block) {
  if (++block_depth_ > kMaxBlockDepth) throw CodegenError("blocks nest deeper than the JIT's limit");
  for (const ir::Stmt& s : block) Stmt(s);
  --block_depth_;
}

void Emitter::Stmt(const ir::Stmt& s) {
  switch (s.kind) {
    case ir::StmtKind::Let:
      if (mode_ == LocalsMode::Registers) {
        if (size_t(s.target) < local_slots_.size()) StoreValue(Expr(s.value), local_slots_[size_t(s.target)]);
        return;
      }
      // Without let-slots in the frame the interpreter skips the statement,
      // value and all.
      If(b_.CreateICmpNE(locals_, llvm::ConstantPointerNull::get(mc_.value_type->getPointerTo())), [&] {
        StoreValue(Expr(s.value), b_.CreateGEP(mc_.value_type, locals_, b_.getInt64(uint64_t(s.target))));
      });
      return;
    case ir::StmtKind::If: {
      llvm::Value* cond = Truth(s.value);
      llvm::BasicBlock* then_bb = llvm::BasicBlock::Create(mc_.ctx, "then", fn_);
      llvm::BasicBlock* else_bb = llvm::BasicBlock::Create(mc_.ctx, "else", fn_);
      llvm::BasicBlock* join = llvm::BasicBlock::Create(mc_.ctx, "endif", fn_);
      b_.CreateCondBr(cond, then_bb, else_bb);
      b_.SetInsertPoint(then_bb);
      Block(s.body);
      b_.CreateBr(join);
      b_.SetInsertPoint(else_bb);
      Block(s.else_body);
      b_.CreateBr(join);
      b_.SetInsertPoint(join);
      return;
    }
    case ir::StmtKind::Wait:
    case ir::StmtKind::WaitFor:
    case ir::StmtKind::Split:
    case ir::StmtKind::Exit: return;   // run by the engine's flow machine
    default: break;
  }
  auto id = mc_.index.stmt_ids.find(&s);
  if (id == mc_.index.stmt_ids.end()) throw CodegenError("a statement outside every indexed block");
  llvm::AllocaInst* value = EntryAlloca(mc_.value_type, "effect_value");
  StoreValue(s.value >= 0 ? Expr(s.value) : Constant(0, core::ValueKind::Int, false), value);
  llvm::Value* data = llvm::ConstantPointerNull::get(mc_.value_type->getPointerTo());
  if (!s.data.empty()) {
    data = EntryAlloca(mc_.value_type, "send_data", unsigned(s.data.size()));
    for (size_t i = 0; i < s.data.size(); ++i)
      StoreValue(Expr(s.data[i].value), b_.CreateGEP(mc_.value_type, data, b_.getInt64(i)));
  }
  b_.CreateCall(Runtime("ql_effect"),
                {frame_, b_.getInt32(uint32_t(id->second)), value, data, b_.getInt64(s.data.size())});
}

}  // namespace questline::jit
