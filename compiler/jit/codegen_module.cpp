// Module layout: entry points spread over a few modules of similar size (so
// they compile in parallel and none is huge), user functions emitted into each
// module that calls them (internal, so they inline), and in module 0 the table
// of every entry point in ProgramIndex order.
#include <algorithm>

#include "compiler/jit/codegen.h"

namespace questline::jit {

ModuleContext::ModuleContext(llvm::LLVMContext& context, llvm::Module& m, const ir::Program& p,
                             const ProgramIndex& i, const ValueNumbers& v)
    : ctx(context), module(m), program(p), index(i), numbers(v) {
  auto* i8 = llvm::Type::getInt8Ty(ctx);
  auto* i32 = llvm::Type::getInt32Ty(ctx);
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* void_ty = llvm::Type::getVoidTy(ctx);
  value_type = llvm::StructType::create(ctx, {i64, i8, i8}, "Value");
  auto* value_ptr = value_type->getPointerTo();
  auto* opaque = llvm::Type::getInt8PtrTy(ctx);
  // NativeFrame, field by field (abi.h).
  frame_type = llvm::StructType::create(ctx, {value_ptr, i64, value_ptr, value_ptr, opaque, opaque}, "NativeFrame");
  auto* frame_ptr = frame_type->getPointerTo();
  expr_fn_type = llvm::FunctionType::get(void_ty, {frame_ptr, value_ptr}, false);
  block_fn_type = llvm::FunctionType::get(void_ty, {frame_ptr}, false);
  auto fn = [&](llvm::Type* result, std::vector<llvm::Type*> params) {
    params.insert(params.begin(), frame_ptr);
    return llvm::FunctionType::get(result, params, false);
  };
  runtime_types_ = {
      {"ql_metric", fn(void_ty, {i32, value_ptr})},     {"ql_segment", fn(i32, {i32})},
      {"ql_profile", fn(void_ty, {i32, value_ptr})},    {"ql_balance", fn(i64, {i32})},
      {"ql_points_ever", fn(i64, {})},                  {"ql_level", fn(void_ty, {value_ptr})},
      {"ql_now", fn(i64, {})},                          {"ql_hour", fn(i64, {i64})},
      {"ql_weekday", fn(i64, {i64})},                   {"ql_string_id", fn(i64, {i64})},
      {"ql_change_case", fn(i64, {i64, i32})},          {"ql_string_test", fn(i32, {i64, i64, i32})},
      {"ql_decimal_mul", fn(i64, {i64, i64})},          {"ql_decimal_div", fn(i64, {i64, i64})},
      {"ql_warn", fn(void_ty, {i32})},                  {"ql_effect", fn(void_ty, {i32, value_ptr, value_ptr, i64})},
      {"ql_add_metric", fn(void_ty, {i32, value_ptr})}, {"ql_enter_rule", fn(i32, {i32})},
      {"ql_leave_rule", fn(void_ty, {})},               {"ql_metrics_done", fn(void_ty, {})},
  };
}

llvm::FunctionCallee ModuleContext::Runtime(const char* name) {
  auto it = runtime_types_.find(name);
  if (it == runtime_types_.end()) throw CodegenError(std::string("unknown runtime call ") + name);
  return module.getOrInsertFunction(name, it->second);
}

llvm::Function* DefineFunction(ModuleContext& mc, llvm::FunctionType* type, const std::string& name, bool external) {
  auto linkage = external ? llvm::GlobalValue::ExternalLinkage : llvm::GlobalValue::InternalLinkage;
  llvm::Function* f = llvm::Function::Create(type, linkage, name, mc.module);
  f->addFnAttr(llvm::Attribute::NoUnwind);   // runtime calls never throw through generated code
  return f;
}

llvm::Function* ModuleContext::UserFn(int32_t fn) {
  auto it = fns_.find(fn);
  if (it != fns_.end()) return it->second;
  // Registered before its body is emitted, so a function that calls itself
  // refers to itself instead of recursing here.
  llvm::Function* f = DefineFunction(*this, expr_fn_type, "ql_fn" + std::to_string(fn), false);
  fns_.emplace(fn, f);
  if (++fn_depth_ > kMaxBlockDepth) throw CodegenError("functions call one another deeper than the JIT's limit");
  Emitter em(*this, f, LocalsMode::Frame);
  em.StoreValue(em.Expr(program.fns[size_t(fn)].body), f->getArg(1));
  em.B().CreateRetVoid();
  --fn_depth_;
  return f;
}

namespace {

std::string ExprName(ir::ExprRef e) { return "ql_e" + std::to_string(e); }
std::string BlockName(size_t b) { return "ql_b" + std::to_string(b); }
std::string HandlerName(size_t t) { return "ql_h" + std::to_string(t); }

bool HasHandler(const ir::Program& p, size_t type) {
  return !p.plans[type].metrics.empty() || !p.plans[type].rules.empty();
}

}  // namespace

void EmitExprEntry(ModuleContext& mc, ir::ExprRef e) {
  llvm::Function* f = DefineFunction(mc, mc.expr_fn_type, ExprName(e), false);
  Emitter em(mc, f, LocalsMode::Frame);
  em.StoreValue(em.Expr(e), f->getArg(1));
  em.B().CreateRetVoid();
}

void EmitBlockEntry(ModuleContext& mc, size_t block) {
  llvm::Function* f = DefineFunction(mc, mc.block_fn_type, BlockName(block), false);
  Emitter em(mc, f, LocalsMode::Frame);
  em.Block(*mc.index.blocks[block]);
  em.B().CreateRetVoid();
}

// The fused handler of one event type: Backend::HandleEvent's walk over the
// event's plan, unrolled, with shared subexpressions computed once. A plan of
// hundreds of rules is cut into chunks of kRulesPerChunk, each its own
// function called in order: LLVM's fast register allocator degrades on very
// large functions, and a chunk's event-pure prologue stays short-lived.
// Sharing is per chunk; a value shared across chunks is recomputed, which is
// unobservable (only pure, warning-free values are shared).
inline constexpr size_t kRulesPerChunk = 24;

namespace {

void EmitMetricChunk(ModuleContext& mc, llvm::Function* f, int32_t type, const std::vector<int32_t>& metrics) {
  const ir::Program& p = mc.program;
  Emitter em(mc, f, LocalsMode::Registers);
  em.BeginHandler(p.schema.types[size_t(type)].fields.size());
  auto& b = em.B();
  std::vector<ir::ExprRef> roots;
  for (int32_t m : metrics) {
    roots.push_back(p.metrics[size_t(m)].aggregate.filter);
    roots.push_back(p.metrics[size_t(m)].aggregate.argument);
  }
  em.BeginMemoScope(roots, {}, /*metrics_stable=*/false);
  for (int32_t m : metrics) {
    const ir::Aggregate& a = p.metrics[size_t(m)].aggregate;
    em.If(em.Truth(a.filter), [&] {
      llvm::AllocaInst* arg = em.EntryAlloca(mc.value_type, "metric_arg");
      em.StoreValue(a.argument >= 0 ? em.Expr(a.argument) : em.Constant(0, core::ValueKind::Int, false), arg);
      b.CreateCall(em.Runtime("ql_add_metric"), {em.Frame(), b.getInt32(uint32_t(m)), arg});
    });
  }
  em.EndMemoScope();
  b.CreateRetVoid();
}

void EmitRuleChunk(ModuleContext& mc, llvm::Function* f, int32_t type, const std::vector<int32_t>& rules) {
  const ir::Program& p = mc.program;
  Emitter em(mc, f, LocalsMode::Registers);
  em.BeginHandler(p.schema.types[size_t(type)].fields.size());
  auto& b = em.B();
  std::vector<ir::ExprRef> roots;
  std::vector<const ir::Block*> bodies;
  for (int32_t r : rules) {
    roots.push_back(p.rules[size_t(r)].where);
    bodies.push_back(&p.rules[size_t(r)].body);
  }
  em.BeginMemoScope(roots, bodies, /*metrics_stable=*/true);
  for (int32_t r : rules) {
    const ir::Rule& rule = p.rules[size_t(r)];
    em.ResetLocals(rule.local_count);
    em.If(em.Truth(rule.where), [&] {
      llvm::Value* entered = b.CreateCall(em.Runtime("ql_enter_rule"), {em.Frame(), b.getInt32(uint32_t(r))});
      em.If(b.CreateICmpNE(entered, b.getInt32(0)), [&] {
        em.Block(rule.body);
        b.CreateCall(em.Runtime("ql_leave_rule"), {em.Frame()});
      });
    });
  }
  em.EndMemoScope();
  b.CreateRetVoid();
}

// Consecutive pieces of `ids`, at most kRulesPerChunk long.
std::vector<std::vector<int32_t>> Chunks(const std::vector<int32_t>& ids) {
  std::vector<std::vector<int32_t>> out;
  for (size_t i = 0; i < ids.size(); i += kRulesPerChunk)
    out.emplace_back(ids.begin() + long(i), ids.begin() + long(std::min(ids.size(), i + kRulesPerChunk)));
  return out;
}

}  // namespace

void EmitHandler(ModuleContext& mc, int32_t type) {
  const ir::EventPlan& plan = mc.program.plans[size_t(type)];
  const std::string name = HandlerName(size_t(type));
  llvm::Function* handler = DefineFunction(mc, mc.block_fn_type, name, false);
  std::vector<llvm::Function*> metric_steps, rule_steps;
  int n = 0;
  // Metrics first, then rules (LANGUAGE.md §11), each in package order.
  for (const auto& chunk : Chunks(plan.metrics)) {
    metric_steps.push_back(DefineFunction(mc, mc.block_fn_type, name + "_" + std::to_string(n++), false));
    EmitMetricChunk(mc, metric_steps.back(), type, chunk);
  }
  for (const auto& chunk : Chunks(plan.rules)) {
    rule_steps.push_back(DefineFunction(mc, mc.block_fn_type, name + "_" + std::to_string(n++), false));
    EmitRuleChunk(mc, rule_steps.back(), type, chunk);
  }
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(mc.ctx, "entry", handler));
  for (llvm::Function* step : metric_steps) b.CreateCall(step, {handler->getArg(0)});
  // Between the two, as the interpreter: the engine re-evaluates the segments
  // the metrics moved, so both backends ask the same conditions in one order.
  b.CreateCall(mc.Runtime("ql_metrics_done"), {handler->getArg(0)});
  for (llvm::Function* step : rule_steps) b.CreateCall(step, {handler->getArg(0)});
  b.CreateRetVoid();
}

std::vector<ModuleUnit> GenerateModules(const ir::Program& program, const ProgramIndex& index, size_t module_count,
                                        const std::string& triple, const std::string& data_layout) {
  const ValueNumbers numbers = NumberValues(program);
  module_count = std::max<size_t>(module_count, 1);

  // Every entry point with a rough cost (handlers are as big as their plans),
  // dealt to the least loaded module; the order is fixed, so the layout is too.
  struct Work { int kind; size_t index; size_t cost; };   // kind: 0 expr, 1 block, 2 handler
  std::vector<Work> work;
  // Entry expressions with one value number compute the same thing (ten task
  // filters `bet.game_type == "slots"`): one function serves all their slots.
  std::vector<size_t> canonical(index.exprs.size());
  std::unordered_map<int32_t, size_t> first_with_number;
  for (size_t i = 0; i < index.exprs.size(); ++i) {
    auto [it, fresh] = first_with_number.emplace(numbers.number[size_t(index.exprs[i])], i);
    canonical[i] = it->second;
    if (fresh) work.push_back({0, i, 1});
  }
  for (size_t i = 0; i < index.blocks.size(); ++i) work.push_back({1, i, 1 + index.blocks[i]->size()});
  for (size_t t = 0; t < index.handlers; ++t)
    if (HasHandler(program, t))
      work.push_back({2, t, 1 + 2 * (program.plans[t].metrics.size() + program.plans[t].rules.size())});
  std::vector<std::vector<Work>> assigned(module_count);
  std::vector<size_t> load(module_count, 0);
  std::vector<size_t> expr_module(index.exprs.size());
  for (const Work& w : work) {
    size_t m = size_t(std::min_element(load.begin(), load.end()) - load.begin());
    assigned[m].push_back(w);
    load[m] += w.cost;
    if (w.kind == 0) expr_module[w.index] = m;
  }

  std::vector<ModuleUnit> units;
  for (size_t m = 0; m < module_count; ++m) {
    ModuleUnit unit;
    unit.context = std::make_unique<llvm::LLVMContext>();
    unit.module = std::make_unique<llvm::Module>("questline" + std::to_string(m), *unit.context);
    unit.module->setTargetTriple(triple);
    unit.module->setDataLayout(data_layout);
    ModuleContext mc(*unit.context, *unit.module, program, index, numbers);
    for (const Work& w : assigned[m]) {
      if (w.kind == 0) EmitExprEntry(mc, index.exprs[w.index]);
      if (w.kind == 1) EmitBlockEntry(mc, w.index);
      if (w.kind == 2) EmitHandler(mc, int32_t(w.index));
    }
    unit.functions = assigned[m].size();
    // The module's entry table: a slot for every entry point of the program
    // (ProgramIndex order), filled for those defined here, null elsewhere.
    // Entry points stay internal, so linking resolves one symbol per module
    // instead of thousands.
    auto* ptr = llvm::Type::getInt8PtrTy(*unit.context);
    std::vector<llvm::Constant*> slots(index.EntryCount(), llvm::ConstantPointerNull::get(ptr));
    auto fill = [&](size_t slot, const std::string& name) {
      slots[slot] = llvm::ConstantExpr::getBitCast(unit.module->getFunction(name), ptr);
    };
    for (size_t i = 0; i < index.exprs.size(); ++i)
      if (expr_module[canonical[i]] == m) fill(i, ExprName(index.exprs[canonical[i]]));
    for (const Work& w : assigned[m]) {
      if (w.kind == 1) fill(index.exprs.size() + w.index, BlockName(w.index));
      if (w.kind == 2) fill(index.exprs.size() + index.blocks.size() + w.index, HandlerName(w.index));
    }
    auto* table_type = llvm::ArrayType::get(ptr, slots.size());
    new llvm::GlobalVariable(*unit.module, table_type, true, llvm::GlobalValue::ExternalLinkage,
                             llvm::ConstantArray::get(table_type, slots), EntryTableName(m));
    units.push_back(std::move(unit));
  }
  return units;
}

}  // namespace questline::jit
