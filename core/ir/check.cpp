// CheckIr: the whole internal consistency of a program, for two callers.
// After lowering, a failure is a compiler bug (VerifyIr aborts with an
// internal error). A bundle's program comes from a file: its checksum only
// proves the bytes are the ones written, so `quest run --bundle` checks the
// decoded program with CheckIr and refuses it (exit 2) on failure, before
// the engine or the backends index anything with it. Everything the
// interpreter and the engine index without a test is checked here.
#include "core/ir/check.h"

#include "core/bandit_policies.h"

#include <algorithm>

#include "core/channels.h"

namespace questline::ir {
namespace {

// Deeper expressions (counting through fn calls) would exhaust the native
// stack of the interpreter's recursive Eval. Lowering stays far below: the
// parser's chains stop at 1,000 links and definitions at 256 deep.
constexpr int64_t kMaxEvalDepth = 20000;
// Let-slots are allocated per rule run and per flow instance: a forged count
// must not ask for gigabytes. (A package has one slot per `let`.)
constexpr int32_t kMaxLocals = 1 << 16;

bool In(int64_t i, size_t n) { return i >= 0 && uint64_t(i) < n; }
bool Opt(int64_t i, size_t n) { return i == -1 || In(i, n); }   // -1: absent

// The arity of a node's kind: the interpreter reads these children unchecked.
bool ArityOk(const Node& n) {
  switch (n.kind) {
    case NodeKind::Neg: case NodeKind::Not: case NodeKind::Widen: return n.count == 1;
    case NodeKind::And: case NodeKind::Or: case NodeKind::Eq: case NodeKind::Ne: case NodeKind::Lt:
    case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge: case NodeKind::Add: case NodeKind::Sub:
    case NodeKind::Mul: case NodeKind::Div:
      return n.count == 2;
    case NodeKind::Builtin:
      switch (BuiltinFn(n.a)) {
        case BuiltinFn::Has: case BuiltinFn::Floor: case BuiltinFn::Ceil: case BuiltinFn::Round:
        case BuiltinFn::Abs: case BuiltinFn::Hour: case BuiltinFn::Weekday: case BuiltinFn::Lower:
        case BuiltinFn::Upper:
          return n.count == 1;
        case BuiltinFn::Min: case BuiltinFn::Max: return n.count >= 1;
        case BuiltinFn::Contains: case BuiltinFn::StartsWith: return n.count == 2;
      }
      return false;
    case NodeKind::Call: return true;   // against the fn's parameters, below
    default: return n.count == 0;
  }
}

class Checker {
 public:
  explicit Checker(const Program& p) : p_(p) {}

  bool Run(std::string* error) {
    Nodes() && Fns() && Schema() && Tables() && Statements();
    if (!error_.empty()) *error = error_;
    return error_.empty();
  }

 private:
  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = what;
    return false;
  }

  // Nodes in one forward pass (children precede parents): ranges, arity,
  // and per node the deepest Param and Local it reads and its depth.
  bool Nodes() {
    const size_t n_nodes = p_.nodes.size();
    max_param_.assign(n_nodes, -1);
    max_local_.assign(n_nodes, -1);
    depth_.assign(n_nodes, 1);
    for (size_t i = 0; i < n_nodes; ++i) {
      const Node& n = p_.nodes[i];
      const std::string at = "node " + std::to_string(i);
      if (uint8_t(n.kind) > uint8_t(NodeKind::Widen)) return Fail(at + ": unknown kind");
      if (uint8_t(n.type) > uint8_t(ValueKind::Percent)) return Fail(at + ": unknown type");
      if (uint64_t(n.first) + n.count > p_.children.size()) return Fail(at + ": children out of range");
      if (n.kind == NodeKind::Builtin && !In(n.a, size_t(BuiltinFn::StartsWith) + 1))
        return Fail(at + ": unknown builtin");
      if (!ArityOk(n)) return Fail(at + ": wrong number of operands");
      for (uint32_t c = 0; c < n.count; ++c) {
        const ExprRef k = p_.Child(n, c);
        if (!In(k, i)) return Fail(at + " has a child that is not before it");
        max_param_[i] = std::max(max_param_[i], max_param_[size_t(k)]);
        max_local_[i] = std::max(max_local_[i], max_local_[size_t(k)]);
        depth_[i] = std::max(depth_[i], depth_[size_t(k)] + 1);
      }
      switch (n.kind) {
        case NodeKind::Metric: if (!In(n.a, p_.metrics.size())) return Fail(at + ": metric index"); break;
        case NodeKind::Segment: if (!In(n.a, p_.segments.size())) return Fail(at + ": segment index"); break;
        case NodeKind::Balance: if (!In(n.a, p_.currencies.size())) return Fail(at + ": currency index"); break;
        case NodeKind::ProfileField:
          if (!In(n.a, p_.profile_names.size())) return Fail(at + ": profile index");
          break;
        case NodeKind::Call:
          if (!In(n.a, p_.fns.size())) return Fail(at + ": fn index");
          if (int64_t(n.count) != p_.fns[size_t(n.a)].params) return Fail(at + ": wrong number of arguments");
          break;
        case NodeKind::Param:
          if (n.a < 0) return Fail(at + ": parameter index");
          max_param_[i] = std::max<int64_t>(max_param_[i], n.a);
          break;
        case NodeKind::Local:
          if (n.a < 0) return Fail(at + ": local index");
          max_local_[i] = std::max<int64_t>(max_local_[i], n.a);
          break;
        case NodeKind::EventField:
          if (n.a < 0) return Fail(at + ": field index");
          break;
        case NodeKind::Const:
          if (n.type == ValueKind::String && !n.none && !In(n.imm, p_.strings.size()))
            return Fail(at + ": string index");
          break;
        default: break;
      }
    }
    return true;
  }

  // Fns: bodies in range, parameters within the fn's own, and no call cycle
  // (the interpreter would recurse until the stack ends). Also the depth of
  // every fn counting the fns it calls, so that Expr() bounds whole evaluations.
  bool Fns() {
    const size_t n_fns = p_.fns.size();
    for (size_t f = 0; f < n_fns; ++f) {
      const Fn& fn = p_.fns[f];
      if (fn.params < 0) return Fail("fn " + std::to_string(f) + ": parameter count");
      if (!In(fn.body, p_.nodes.size())) return Fail("fn '" + fn.name + "' has no body");
      if (max_param_[size_t(fn.body)] >= fn.params) return Fail("fn '" + fn.name + "' reads a parameter it lacks");
    }
    // Calls of each node, to propagate fn depths: fn_depth(f) = the deepest
    // path in its body where a Call node adds its callee's depth. Iterative
    // DFS in post-order; a fn met again while on the stack is a cycle.
    call_depth_.assign(p_.nodes.size(), 0);
    fn_depth_.assign(n_fns, -1);
    std::vector<int> state(n_fns, 0);   // 0 new, 1 on the stack, 2 done
    for (size_t root = 0; root < n_fns; ++root) {
      if (state[root]) continue;
      std::vector<size_t> stack = {root};
      while (!stack.empty()) {
        const size_t f = stack.back();
        if (state[f] == 0) {
          state[f] = 1;
          for (size_t callee : Callees(f)) {
            if (state[callee] == 1) return Fail("fn '" + p_.fns[f].name + "' calls itself (a cycle of calls)");
            if (state[callee] == 0) stack.push_back(callee);
          }
          continue;
        }
        stack.pop_back();
        if (state[f] == 2) continue;
        state[f] = 2;
        fn_depth_[f] = DepthThroughCalls(p_.fns[f].body);
        if (fn_depth_[f] > kMaxEvalDepth) return Fail("fn '" + p_.fns[f].name + "' nests too deep");
      }
    }
    return true;
  }

  // The fns called in the subtree of fn `f`'s body (an explicit stack: a
  // bundle's expressions may be deep).
  std::vector<size_t> Callees(size_t f) {
    std::vector<size_t> out;
    std::vector<ExprRef> todo = {p_.fns[f].body};
    std::vector<bool> seen(p_.nodes.size(), false);
    while (!todo.empty()) {
      const ExprRef e = todo.back();
      todo.pop_back();
      if (seen[size_t(e)]) continue;
      seen[size_t(e)] = true;
      const Node& n = p_.nodes[size_t(e)];
      if (n.kind == NodeKind::Call) out.push_back(size_t(n.a));
      for (uint32_t c = 0; c < n.count; ++c) todo.push_back(p_.Child(n, c));
    }
    return out;
  }

  // Depth of `root` where each Call adds its callee's depth; callees are done.
  int64_t DepthThroughCalls(ExprRef root) {
    // Children precede parents, so one pass over [0, root] in index order
    // computes every node's depth before its parents need it.
    int64_t deepest = 0;
    for (size_t i = 0; i <= size_t(root); ++i) {
      const Node& n = p_.nodes[i];
      int64_t d = 1;
      for (uint32_t c = 0; c < n.count; ++c) d = std::max(d, call_depth_[size_t(p_.Child(n, c))] + 1);
      if (n.kind == NodeKind::Call) {
        const int64_t callee = fn_depth_[size_t(n.a)];
        d += callee < 0 ? kMaxEvalDepth : callee;   // not done yet: unreachable from here
      }
      call_depth_[i] = std::min(d, kMaxEvalDepth + 1);
      deepest = call_depth_[i];
    }
    return deepest;
  }

  // An expression used from a context with `locals` let-slots (-1: no slots,
  // the interpreter reads none) and no parameters.
  bool Expr(ExprRef e, int64_t locals, const std::string& where, bool optional = true) {
    if (e == -1 && optional) return true;
    if (!In(e, p_.nodes.size())) return Fail(where + ": expression out of range");
    if (max_param_[size_t(e)] >= 0) return Fail(where + ": reads a parameter outside a fn");
    if (locals >= 0 && max_local_[size_t(e)] >= locals) return Fail(where + ": reads a let-slot it lacks");
    if (ExprDepth(e) > kMaxEvalDepth) return Fail(where + ": nests too deep");
    return true;
  }

  int64_t ExprDepth(ExprRef e) {
    if (call_depth_ready_) return call_depth_[size_t(e)];
    DepthThroughCalls(ExprRef(p_.nodes.size()) - 1);
    call_depth_ready_ = true;
    return call_depth_[size_t(e)];
  }

  bool Schema() {
    const auto& types = p_.schema.types;
    for (size_t t = 0; t < types.size(); ++t) {
      const core::EventType& et = types[t];
      const std::string at = "event '" + et.name + "'";
      // Fields 0, 1, 2 are id, user and ts (core::Event::Id, User, Ts).
      if (et.fields.size() < 3 || et.fields[core::kFieldId].kind != ValueKind::String ||
          et.fields[core::kFieldUser].kind != ValueKind::String ||
          et.fields[core::kFieldTs].kind != ValueKind::Time)
        return Fail(at + ": no id, user and ts fields");
      for (const core::FieldSchema& f : et.fields) {
        if (uint8_t(f.kind) > uint8_t(ValueKind::Percent)) return Fail(at + ": unknown field type");
        if (!f.union_members.empty() && f.kind != ValueKind::String) return Fail(at + ": a union that is not text");
        // A missing field takes its default as is (io::EventReader): a text
        // default is an interned id, and only id 0, the empty text, exists
        // before the feed is read.
        const core::Value& d = f.default_value;
        if (d.kind != f.kind || (d.kind == ValueKind::String && !d.none && d.i != 0))
          return Fail(at + ": field '" + f.name + "' default");
      }
    }
    if (p_.plans.size() != types.size()) return Fail("one plan per event type");
    if (p_.profile_defaults.size() != p_.profile_names.size() || p_.profile_kinds.size() != p_.profile_names.size())
      return Fail("profile tables of different lengths");
    for (size_t i = 0; i < p_.profile_defaults.size(); ++i)
      if (!ValueOk(p_.profile_defaults[i]) || p_.profile_defaults[i].kind != p_.profile_kinds[i])
        return Fail("profile field " + std::to_string(i));
    if (p_.currencies.empty()) return Fail("no points currency");
    for (int32_t e : {p_.mission_opt_in, p_.profile_update, p_.store_purchase, p_.minigame_play,
                      p_.tournament_register})
      if (!Opt(e, types.size())) return Fail("request event index");
    if (p_.settings.week_starts < 0 || p_.settings.week_starts > 6) return Fail("week_starts");
    return true;
  }

  // A default or profile value: a known kind; a text one indexes `strings`.
  bool ValueOk(const core::Value& v) {
    if (uint8_t(v.kind) > uint8_t(ValueKind::Percent)) return false;
    return v.kind != ValueKind::String || v.none || In(v.i, p_.strings.size());
  }

  bool Aggregate(const ir::Aggregate& a, const std::string& where) {
    if (uint8_t(a.fn) > uint8_t(AggregateFn::StreakWeeks) || uint8_t(a.window) > uint8_t(Window::ThisMonth) ||
        uint8_t(a.argument_kind) > uint8_t(ValueKind::Percent) || uint8_t(a.result) > uint8_t(ValueKind::Percent))
      return Fail(where + ": unknown aggregate");
    if (!In(a.event, p_.schema.types.size())) return Fail(where + " has no event");
    return Expr(a.argument, -1, where) && Expr(a.filter, -1, where);
  }

  // A bound counts a currency (a cap) or times (a limit: currency -1).
  bool BoundOk(const std::optional<ir::Bound>& b) {
    return !b || (Opt(b->currency, p_.currencies.size()) && uint8_t(b->period) <= uint8_t(Period::Month));
  }

  bool Tables() {
    const size_t n_types = p_.schema.types.size();
    for (const Metric& m : p_.metrics)
      if (!Aggregate(m.aggregate, "metric '" + m.name + "'")) return false;
    for (const ir::Segment& s : p_.segments)
      if (!Expr(s.condition, -1, "segment '" + s.name + "'")) return false;
    for (const Rule& r : p_.rules) {
      if (!In(r.event, n_types)) return Fail("rule '" + r.name + "' has no event");
      if (r.local_count < 0 || r.local_count > kMaxLocals || !BoundOk(r.cap) || !BoundOk(r.limit)) return Fail("rule '" + r.name + "' bounds");
      if (!Expr(r.where, r.local_count, "rule '" + r.name + "'")) return false;
    }
    for (const Badge& b : p_.badges)
      if (!Expr(b.when, -1, "badge '" + b.name + "'")) return false;
    for (const Mission& m : p_.missions) {
      const std::string at = "mission '" + m.name + "'";
      if (uint8_t(m.unlock) > uint8_t(Unlock::AtLevel) || uint8_t(m.recurring) > uint8_t(Recurrence::OnCompletion))
        return Fail(at + ": unknown unlock or recurrence");
      const size_t unlock_range = m.unlock == Unlock::OnEvent        ? n_types
                                  : m.unlock == Unlock::AfterMission ? p_.missions.size()
                                  : m.unlock == Unlock::AtLevel      ? p_.levels.size()
                                                                     : 0;
      if (m.unlock != Unlock::None && !In(m.unlock_target, unlock_range)) return Fail(at + ": unlock target");
      // A limit of zero would restart the mission at the instant it starts.
      if (m.time_limit_ms && *m.time_limit_ms <= 0) return Fail(at + ": time limit");
      if (!Expr(m.audience, -1, at) || !Expr(m.unlock_where, -1, at)) return false;
      for (const Task& t : m.tasks) {
        if (t.op < NodeKind::Eq || t.op > NodeKind::Ge) return Fail(at + ": task comparison");
        if (!Aggregate(t.aggregate, at + " task '" + t.name + "'") || !Expr(t.threshold, -1, at, false)) return false;
      }
    }
    for (const Policy& p : p_.policies) {
      for (const PolicyBlock& b : p.blocks)
        if (uint8_t(b.target) > uint8_t(PolicyTarget::Messages) || !Expr(b.when, -1, "policy '" + p.name + "'"))
          return Fail("policy '" + p.name + "'");
      for (const auto& [n, period] : p.message_caps)
        if (uint8_t(period) > uint8_t(Period::Month)) return Fail("policy '" + p.name + "': period");
    }
    for (const Item& i : p_.items)
      if (!In(i.currency, p_.currencies.size()) || !BoundOk(i.limit) || !Expr(i.audience, -1, "item '" + i.name + "'"))
        return Fail("item '" + i.name + "'");
    if (p_.games.size() != p_.minigames.size() || p_.raffle_table.size() != p_.raffles.size())
      return Fail("game or raffle tables of different lengths");
    for (const Minigame& g : p_.games)
      if (!Opt(g.cost_currency, p_.currencies.size()) || !BoundOk(g.limit) ||
          !Expr(g.audience, -1, "game '" + g.name + "'"))
        return Fail("game '" + g.name + "'");
    for (const Raffle& r : p_.raffle_table)
      if (!Expr(r.audience, -1, "raffle '" + r.name + "'")) return false;
    for (const Competition& c : p_.competitions) {
      const std::string at = "competition '" + c.name + "'";
      if (c.score && !Aggregate(*c.score, at)) return false;
      if (uint8_t(c.period) > uint8_t(Period::Month) || !Opt(c.buy_in_currency, p_.currencies.size()) ||
          !Expr(c.audience, -1, at))
        return Fail(at);
    }
    for (const EventPlan& plan : p_.plans) {
      for (int32_t m : plan.metrics)
        if (!In(m, p_.metrics.size())) return Fail("plan: metric index");
      for (int32_t r : plan.rules)
        if (!In(r, p_.rules.size())) return Fail("plan: rule index");
      for (int32_t m : plan.unlocks)
        if (!In(m, p_.missions.size())) return Fail("plan: mission index");
      for (int32_t m : plan.missions)
        if (!In(m, p_.missions.size())) return Fail("plan: mission index");
    }
    for (const Flow& f : p_.flows) {
      const std::string at = "flow '" + f.name + "'";
      if (uint8_t(f.trigger) > uint8_t(TriggerKind::Schedule) || f.local_count < 0 || f.local_count > kMaxLocals)
        return Fail(at);
      if (f.trigger == TriggerKind::Event && !In(f.target, n_types)) return Fail(at + ": trigger event");
      if ((f.trigger == TriggerKind::Enter || f.trigger == TriggerKind::Exit) && !In(f.target, p_.segments.size()))
        return Fail(at + ": trigger segment");
      if (!Expr(f.where, f.local_count, at) || !Expr(f.audience, f.local_count, at)) return false;
      if (f.ops.empty() || f.ops.back().kind != FlowOpKind::Exit) return Fail(at + ": does not end with exit");
      for (size_t k = 0; k < f.ops.size(); ++k) {
        const FlowOp& op = f.ops[k];
        // Lowering only jumps forward (a flow has no loops): a backward jump
        // would spin the flow machine within one event without a wait.
        auto forward = [&](int32_t t) { return t > int32_t(k) && In(t, f.ops.size()); };
        if (uint8_t(op.kind) > uint8_t(FlowOpKind::Choose)) return Fail(at + ": unknown step");
        if (!Expr(op.cond, f.local_count, at) || !Block(op.block, f.local_count, at, 0)) return false;
        if (!Opt(op.event, n_types) || !Opt(op.scope, f.ops.size())) return Fail(at + ": step event");
        const bool jumps = op.kind == FlowOpKind::Branch || op.kind == FlowOpKind::WaitFor ||
                           op.kind == FlowOpKind::Jump;
        if (jumps ? !forward(op.target) : !Opt(op.target, f.ops.size())) return Fail(at + ": jump target");
        if (op.kind == FlowOpKind::WaitFor && op.event < 0) return Fail(at + ": waits for no event");
        for (int32_t t : op.targets)
          if (!forward(t)) return Fail(at + ": split target");
        if (op.kind == FlowOpKind::Split && op.targets.size() != op.shares.size()) return Fail(at + ": split shares");
        for (ExprRef e : op.context)
          if (e < 0 || !Expr(e, f.local_count, at)) return Fail(at + ": bandit context");
        if (op.kind == FlowOpKind::Choose &&
            (op.event < 0 || op.duration <= 0 || op.arms.size() != op.targets.size() || op.targets.size() < 2 ||
             op.policy >= uint8_t(core::kBanditPolicyCount)))
          return Fail(at + ": bandit");
      }
    }
    return true;
  }

  // Every block of statements, with the let-slots its context has.
  bool Statements() {
    for (const Rule& r : p_.rules)
      if (!Block(r.body, r.local_count, "rule '" + r.name + "'", 0)) return false;
    for (const Level& l : p_.levels)
      if (!Block(l.on_reach, -1, "level '" + l.name + "'", 0)) return false;
    for (const Badge& b : p_.badges)
      if (!Block(b.on_earn, -1, "badge '" + b.name + "'", 0)) return false;
    for (const Mission& m : p_.missions) {
      if (!Block(m.reward, -1, "mission '" + m.name + "'", 0)) return false;
      for (const Task& t : m.tasks)
        if (!Block(t.body, -1, "mission '" + m.name + "'", 0)) return false;
    }
    for (const Item& i : p_.items)
      if (!Block(i.on_purchase, -1, "item '" + i.name + "'", 0)) return false;
    for (const Minigame& g : p_.games)
      for (const GamePrize& prize : g.prizes)
        if (!Block(prize.body, -1, "game '" + g.name + "'", 0)) return false;
    for (const Raffle& r : p_.raffle_table)
      for (const RafflePrize& prize : r.prizes)
        if (!Block(prize.body, -1, "raffle '" + r.name + "'", 0)) return false;
    for (const Competition& c : p_.competitions)
      for (const Prize& prize : c.prizes)
        if (!Block(prize.body, -1, "competition '" + c.name + "'", 0)) return false;
    return true;
  }

  bool Block(const ir::Block& block, int64_t locals, const std::string& where, int depth) {
    if (depth > kMaxBlockDepth) return Fail(where + ": blocks nest too deep");
    for (const Stmt& s : block) {
      if (uint8_t(s.kind) > uint8_t(StmtKind::Exit)) return Fail(where + ": unknown statement");
      if (!Expr(s.value, locals, where) || !Expr(s.where, locals, where)) return false;
      for (const SendField& f : s.data)
        if (!Expr(f.value, locals, where, false)) return false;
      bool target_ok = true;
      switch (s.kind) {
        case StmtKind::Award: case StmtKind::Deduct:
          target_ok = In(s.target, p_.currencies.size());
          break;
        case StmtKind::Send: target_ok = In(s.target, size_t(core::kChannelCount)); break;
        case StmtKind::UnlockMission: case StmtKind::GiveMission: target_ok = In(s.target, p_.missions.size()); break;
        case StmtKind::GiveAttempts: target_ok = In(s.target, p_.games.size()); break;
        case StmtKind::GiveTickets: target_ok = In(s.target, p_.raffle_table.size()); break;
        case StmtKind::Let: target_ok = locals < 0 || In(s.target, size_t(locals)); break;
        default: break;
      }
      if (!target_ok) return Fail(where + ": statement target out of range");
      if (!Opt(s.event, p_.schema.types.size())) return Fail(where + ": statement event");
      if (!Block(s.body, locals, where, depth + 1) || !Block(s.else_body, locals, where, depth + 1)) return false;
      for (const auto& [share, body] : s.branches)
        if (!Block(body, locals, where, depth + 1)) return false;
    }
    return true;
  }

  const Program& p_;
  std::string error_;
  std::vector<int64_t> max_param_, max_local_, depth_, call_depth_, fn_depth_;
  bool call_depth_ready_ = false;
};

}  // namespace

bool CheckIr(const Program& program, std::string* error) { return Checker(program).Run(error); }

}  // namespace questline::ir
