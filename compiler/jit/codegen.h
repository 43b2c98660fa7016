// From the IR to LLVM IR (internal to compiler/jit/). A program becomes a few
// modules holding:
//   ql_e<ref>    one function per expression the engine evaluates directly
//   ql_b<i>      one per block the engine runs directly (ProgramIndex order)
//   ql_h<type>   one fused handler per event type: its metric updates and all
//                its rules, with shared pure subexpressions computed once
//   ql_entries<m> per module, the only exported symbol: a slot for every entry
//                point of the program in ProgramIndex order, null where another
//                module defines it
// Every expression mirrors interp::Interpreter::Eval exactly: same none rules,
// same saturation, the same runtime calls in the same order.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/jit/abi.h"
#include "compiler/jit/program_index.h"
#include "core/ir/program.h"

namespace questline::jit {

// A program the code generator cannot compile (nesting beyond its limits):
// the caller falls back to the interpreter.
struct CodegenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr int kMaxExprDepth = 1000;    // nested nodes in one expression
// Nested if-blocks: as deep as a program may nest them (an `else if` chain of
// the parser's 1,000 links is 1,000 blocks deep), so no valid package falls
// back to the interpreter for its depth.
inline constexpr int kMaxBlockDepth = ir::kMaxBlockDepth;

struct ModuleUnit {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  size_t functions = 0;
};

// Value numbering of the program's nodes, shared by every handler: two nodes
// with the same number compute the same value from the same inputs.
struct ValueNumbers {
  std::vector<int32_t> number;     // by node
  std::vector<bool> memoizable;    // by node: pure, no warning, no interning, not user state that effects change
  std::vector<bool> reads_metric;  // by node: a metric read inside (stale while the metric step runs)
  std::vector<bool> event_pure;    // by node: computed from the event and constants alone, straight-line,
                                   // no runtime call that can be observed: safe to compute eagerly
  int32_t count = 0;               // distinct numbers
};
ValueNumbers NumberValues(const ir::Program& program);

// Builds `module_count` (at least 1) modules for the target's triple and data layout.
std::vector<ModuleUnit> GenerateModules(const ir::Program& program, const ProgramIndex& index,
                                        size_t module_count, const std::string& triple,
                                        const std::string& data_layout);

// The entry table of module `m`: the one name shared with the loader (backend.cpp).
inline std::string EntryTableName(size_t m) { return "ql_entries" + std::to_string(m); }

// ---- internal to the code generator -------------------------------------

// A value as generated code holds it: payload, kind and none flag, like core::Value.
struct CgValue {
  llvm::Value* i;
  llvm::Value* kind;   // i8
  llvm::Value* none;   // i1
};

// One module under construction: its types, runtime declarations and the
// program's user functions (emitted on first call, internal to the module).
class ModuleContext {
 public:
  ModuleContext(llvm::LLVMContext& ctx, llvm::Module& module, const ir::Program& program,
                const ProgramIndex& index, const ValueNumbers& numbers);

  llvm::LLVMContext& ctx;
  llvm::Module& module;
  const ir::Program& program;
  const ProgramIndex& index;
  const ValueNumbers& numbers;

  llvm::StructType* value_type;     // { i64, i8, i8 } = core::Value
  llvm::StructType* frame_type;     // NativeFrame
  llvm::FunctionType* expr_fn_type; // void(frame*, value*)
  llvm::FunctionType* block_fn_type;// void(frame*)

  llvm::FunctionCallee Runtime(const char* name);
  llvm::Function* UserFn(int32_t fn);   // ir::Fn → internal function, emitted on demand

 private:
  std::unordered_map<int32_t, llvm::Function*> fns_;
  std::unordered_map<std::string, llvm::FunctionType*> runtime_types_;
  int fn_depth_ = 0;                    // user functions being emitted inside one another
};

// Where let-slots live: in the frame (entry functions, as the engine passes
// them) or in registers of the function (a fused handler's rules).
enum class LocalsMode { Frame, Registers };

// Emits expressions and statements into one function.
class Emitter {
 public:
  Emitter(ModuleContext& mc, llvm::Function* fn, LocalsMode mode);

  CgValue Expr(ir::ExprRef e);
  // A condition: an absent one holds, a none value does not. i1.
  llvm::Value* Truth(ir::ExprRef e);
  void Block(const ir::Block& block);

  void StoreValue(const CgValue& v, llvm::Value* ptr);
  CgValue LoadValue(llvm::Value* ptr);
  CgValue Constant(int64_t i, core::ValueKind kind, bool none);
  llvm::Value* Frame() const { return frame_; }
  llvm::IRBuilder<>& B() { return b_; }
  llvm::AllocaInst* EntryAlloca(llvm::Type* type, const char* name, unsigned count = 1);
  // Emits `then` only when `cond` (i1) holds.
  void If(llvm::Value* cond, const std::function<void()>& then);
  llvm::FunctionCallee Runtime(const char* name) { return mc_.Runtime(name); }

  // A fused handler for an event with `field_count` fields: event fields are
  // read without a bounds test (the backend checks the count once), and
  // event-pure expressions are computed once, eagerly, in the prologue.
  void BeginHandler(size_t field_count);
  // Registers mode: let-slots for the next rule, all reset to Value{}.
  void ResetLocals(int32_t count);
  // Memoised subexpressions: values computed at most once per scope. A new
  // scope starts with nothing known (codegen_memo.cpp).
  void BeginMemoScope(const std::vector<ir::ExprRef>& roots, const std::vector<const ir::Block*>& blocks,
                      bool metrics_stable);
  void EndMemoScope();

 private:
  CgValue Node(ir::ExprRef e);
  CgValue Builtin(const ir::Node& n);
  CgValue Call(const ir::Node& n);
  CgValue Arithmetic(const ir::Node& n, const CgValue& a, const CgValue& b);
  CgValue DecimalMulDiv(const ir::Node& n, llvm::Value* x, llvm::Value* y);
  CgValue AndOr(const ir::Node& n);
  CgValue Hoisted(ir::ExprRef e);
  CgValue Local(const ir::Node& n);
  // Emits `then` only when `cond` (i1) holds; merges its value with `otherwise`.
  CgValue Guarded(llvm::Value* cond, const std::function<CgValue()>& then, const CgValue& otherwise);
  CgValue Select(llvm::Value* cond, const CgValue& a, const CgValue& b);
  CgValue Memoised(ir::ExprRef e);
  void Stmt(const ir::Stmt& s);
  llvm::Value* FramePtr(jit::FrameField f);

  ModuleContext& mc_;
  llvm::Function* fn_;
  llvm::IRBuilder<> b_;
  llvm::IRBuilder<> entry_;   // allocas, at the top of the entry block
  llvm::Value* frame_;
  LocalsMode mode_;
  llvm::Value *fields_, *field_count_, *locals_, *params_;   // loaded once
  std::vector<llvm::AllocaInst*> local_slots_;
  llvm::BasicBlock* prologue_ = nullptr;          // handlers: where event-pure values are computed
  size_t event_field_count_ = 0;
  std::unordered_map<int32_t, CgValue> hoisted_;  // by value number
  int depth_ = 0, block_depth_ = 0;

  struct MemoSlot { llvm::AllocaInst* done; llvm::AllocaInst* value; };
  bool memo_active_ = false;
  bool metrics_stable_ = false;
  std::unordered_map<int32_t, MemoSlot> memo_;   // by value number
  std::vector<bool> memo_wanted_;                // by value number: shared in this scope
};

// Saturating arithmetic shared by expressions and builtins. Clamp(a * b) of
// the interpreter: on overflow the exact product's sign picks the bound.
inline llvm::Value* SaturatingMul(llvm::IRBuilder<>& b, llvm::Value* x, llvm::Value* y) {
  llvm::Value* pair = b.CreateBinaryIntrinsic(llvm::Intrinsic::smul_with_overflow, x, y);
  llvm::Value* product = b.CreateExtractValue(pair, 0);
  llvm::Value* overflow = b.CreateExtractValue(pair, 1);
  llvm::Value* negative = b.CreateICmpSLT(b.CreateXor(x, y), b.getInt64(0));
  llvm::Value* bound = b.CreateSelect(negative, b.getInt64(uint64_t(INT64_MIN)), b.getInt64(INT64_MAX));
  return b.CreateSelect(overflow, bound, product);
}

inline llvm::Value* SaturatingNeg(llvm::IRBuilder<>& b, llvm::Value* x) {
  return b.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_sat, b.getInt64(0), x);
}

// codegen_module.cpp
llvm::Function* DefineFunction(ModuleContext& mc, llvm::FunctionType* type, const std::string& name,
                               bool external);
void EmitExprEntry(ModuleContext& mc, ir::ExprRef e);
void EmitBlockEntry(ModuleContext& mc, size_t block);
void EmitHandler(ModuleContext& mc, int32_t event_type);

}  // namespace questline::jit
