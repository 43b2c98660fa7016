// Shared subexpressions, computed once per handler step. Value numbering
// gives structurally equal nodes one number (`bet.game_type == "slots"` in ten
// rules is one number); a number that occurs twice or more in a step and is
// memoizable gets a slot that the first evaluation fills. Memoizable means
// skipping a re-evaluation is unobservable: no warning can be counted, no
// string interned, and nothing it reads can change within the step (effects
// change balances, points and let-slots, never metrics, segments, the profile
// or the clock; metrics themselves change only during the metric step).
// Evaluation stays lazy — a slot is filled where the interpreter would first
// evaluate the node — so short-circuiting and warnings are exactly preserved.
#include <map>

#include "compiler/jit/codegen.h"

namespace questline::jit {
namespace {

using ir::NodeKind;

bool NonZeroConstant(const ir::Program& p, ir::ExprRef e) {
  const ir::Node* n = &p.At(e);
  if (n->kind == NodeKind::Widen && n->count == 1) n = &p.At(p.Child(*n, 0));
  return n->kind == NodeKind::Const && !n->none && n->imm != 0;
}

// Whether a node, given its children's answers, is memoizable. Calls are
// decided by the caller (they depend on the function's body).
bool OwnMemoizable(const ir::Program& p, const ir::Node& n) {
  switch (n.kind) {
    case NodeKind::Local:
    case NodeKind::Balance:
    case NodeKind::PointsEver:
    case NodeKind::Level: return false;   // changed by effects and lets
    case NodeKind::Builtin: {
      auto fn = static_cast<ir::BuiltinFn>(n.a);
      return fn != ir::BuiltinFn::Lower && fn != ir::BuiltinFn::Upper;   // they intern strings
    }
    case NodeKind::Mul: return n.type != core::ValueKind::Decimal;     // may count an overflow
    case NodeKind::Div: return NonZeroConstant(p, p.Child(n, 1));        // may count a division by zero
    default: return true;
  }
}

// Straight-line and unobservable given event-pure children: no branch, no
// runtime call but the pure literal lookup, no warning.
bool OwnEventPure(const ir::Node& n) {
  switch (n.kind) {
    case NodeKind::Const:
    case NodeKind::EventField:
    case NodeKind::Not: case NodeKind::Neg: case NodeKind::And: case NodeKind::Or:
    case NodeKind::Eq: case NodeKind::Ne: case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge:
    case NodeKind::Add: case NodeKind::Sub: case NodeKind::Widen: return true;
    case NodeKind::Mul: return n.type != core::ValueKind::Decimal;   // decimal products may count an overflow
    case NodeKind::Builtin: {
      auto fn = static_cast<ir::BuiltinFn>(n.a);
      return fn == ir::BuiltinFn::Floor || fn == ir::BuiltinFn::Ceil || fn == ir::BuiltinFn::Round ||
             fn == ir::BuiltinFn::Abs || fn == ir::BuiltinFn::Min || fn == ir::BuiltinFn::Max ||
             fn == ir::BuiltinFn::Has;
    }
    default: return false;
  }
}

// Cheaper to recompute than to test a slot.
bool Trivial(const ir::Node& n) {
  return (n.kind == NodeKind::Const && n.type != core::ValueKind::String) || n.kind == NodeKind::EventField ||
         n.kind == NodeKind::Param || n.kind == NodeKind::Local;
}

}  // namespace

ValueNumbers NumberValues(const ir::Program& p) {
  ValueNumbers v;
  const size_t n = p.nodes.size();
  v.number.resize(n);
  v.memoizable.assign(n, false);
  v.reads_metric.assign(n, false);
  v.event_pure.assign(n, false);
  std::map<std::vector<int64_t>, int32_t> numbers;
  for (size_t i = 0; i < n; ++i) {   // children precede parents (VerifyIr)
    const ir::Node& node = p.nodes[i];
    std::vector<int64_t> key = {int64_t(node.kind), int64_t(node.type), node.none, node.a, node.imm};
    bool memo = OwnMemoizable(p, node), metric = node.kind == NodeKind::Metric, pure = OwnEventPure(node);
    for (uint32_t c = 0; c < node.count; ++c) {
      const size_t child = size_t(p.Child(node, c));
      key.push_back(v.number[child]);
      memo = memo && v.memoizable[child];
      metric = metric || v.reads_metric[child];
      pure = pure && v.event_pure[child];
    }
    v.event_pure[i] = pure;
    v.number[i] = numbers.emplace(std::move(key), int32_t(numbers.size())).first->second;
    v.memoizable[i] = memo;
    v.reads_metric[i] = metric;
  }
  v.count = int32_t(numbers.size());
  // A call is memoizable when its arguments and its function's body are; bodies
  // may call other functions, so iterate to a fixpoint (each round only turns
  // answers from true to false, so it ends within one round per node).
  for (size_t round = 0; round <= n; ++round) {
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      const ir::Node& node = p.nodes[i];
      bool memo = OwnMemoizable(p, node), metric = node.kind == NodeKind::Metric;
      if (node.kind == NodeKind::Call) {
        const ir::ExprRef body = p.fns[size_t(node.a)].body;
        memo = memo && v.memoizable[size_t(body)];
        metric = v.reads_metric[size_t(body)];
      }
      for (uint32_t c = 0; c < node.count; ++c) {
        const size_t child = size_t(p.Child(node, c));
        memo = memo && v.memoizable[child];
        metric = metric || v.reads_metric[child];
      }
      if (memo != v.memoizable[i] || metric != v.reads_metric[i]) {
        changed = changed || memo != v.memoizable[i] || metric != v.reads_metric[i];
        v.memoizable[i] = memo && v.memoizable[i];
        v.reads_metric[i] = metric || v.reads_metric[i];
      }
    }
    if (!changed) break;
  }
  return v;
}

void Emitter::BeginMemoScope(const std::vector<ir::ExprRef>& roots, const std::vector<const ir::Block*>& blocks,
                             bool metrics_stable) {
  const ir::Program& p = mc_.program;
  const ValueNumbers& v = mc_.numbers;
  std::vector<int32_t> occurrences(size_t(v.count), 0);
  // Count every node of every expression the step can evaluate (not inside
  // function bodies: those run in their own frame). An explicit stack keeps
  // deep expressions off the C++ stack.
  std::vector<ir::ExprRef> stack;
  auto count_tree = [&](ir::ExprRef root) {
    if (root < 0) return;
    stack.push_back(root);
    while (!stack.empty()) {
      const ir::ExprRef e = stack.back();
      stack.pop_back();
      ++occurrences[size_t(v.number[size_t(e)])];
      const ir::Node& n = p.At(e);
      for (uint32_t c = 0; c < n.count; ++c) stack.push_back(p.Child(n, c));
    }
  };
  std::vector<const ir::Block*> pending(blocks.begin(), blocks.end());
  while (!pending.empty()) {
    const ir::Block* b = pending.back();
    pending.pop_back();
    for (const ir::Stmt& s : *b) {
      count_tree(s.value);
      for (const ir::SendField& f : s.data) count_tree(f.value);
      pending.push_back(&s.body);
      pending.push_back(&s.else_body);
    }
  }
  for (ir::ExprRef root : roots) count_tree(root);
  memo_wanted_.assign(size_t(v.count), false);
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const int32_t number = v.number[i];
    if (occurrences[size_t(number)] >= 2 && v.memoizable[i] && (metrics_stable || !v.reads_metric[i]) &&
        !Trivial(p.nodes[i]))
      memo_wanted_[size_t(number)] = true;
  }
  memo_.clear();
  memo_active_ = true;
  metrics_stable_ = metrics_stable;
}

void Emitter::EndMemoScope() {
  memo_active_ = false;
  memo_.clear();
}

CgValue Emitter::Memoised(ir::ExprRef e) {
  const int32_t number = mc_.numbers.number[size_t(e)];
  auto it = memo_.find(number);
  if (it == memo_.end()) {
    MemoSlot slot{EntryAlloca(b_.getInt1Ty(), "memo_done"), EntryAlloca(mc_.value_type, "memo")};
    // Nothing is known when the scope starts: clear the flag in the entry
    // block (each scope has its own slots, and a handler runs each scope once).
    llvm::BasicBlock& entry = fn_->getEntryBlock();
    if (llvm::Instruction* end = entry.getTerminator()) entry_.SetInsertPoint(end);
    else entry_.SetInsertPoint(&entry);
    entry_.CreateStore(b_.getFalse(), slot.done);
    it = memo_.emplace(number, slot).first;
  }
  const MemoSlot slot = it->second;
  llvm::Value* done = b_.CreateLoad(b_.getInt1Ty(), slot.done);
  If(b_.CreateNot(done), [&] {
    StoreValue(Node(e), slot.value);
    b_.CreateStore(b_.getTrue(), slot.done);
  });
  return LoadValue(slot.value);
}

}  // namespace questline::jit
