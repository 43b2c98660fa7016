#include "compiler/interp/interp.h"

#include <algorithm>

namespace questline::interp {
namespace {

using ir::NodeKind;
using core::ValueKind;

Value Of(ValueKind kind, int64_t i) { return Value{i, kind, false}; }

// Saturating 64-bit arithmetic: an overflow clamps instead of wrapping, the
// same on every backend.
int64_t Clamp(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return int64_t(v);
}

}  // namespace

int64_t Interpreter::DecimalMul(int64_t a, int64_t b, bool* overflow) {
  __int128 r = __int128(a) * b / core::kDecimalScale;
  *overflow = r > INT64_MAX || r < INT64_MIN;
  return Clamp(r);
}

int64_t Interpreter::DecimalDiv(int64_t a, int64_t b, bool* by_zero) {
  *by_zero = b == 0;
  if (b == 0) return 0;
  return Clamp(__int128(a) * core::kDecimalScale / b);   // truncates toward zero
}

bool Interpreter::Test(ir::ExprRef e, Frame& frame, Runtime& rt) const {
  if (e < 0) return true;
  Value v = Eval(e, frame, rt);
  return !v.none && v.i != 0;
}

Value Interpreter::Eval(ir::ExprRef ref, Frame& frame, Runtime& rt) const {
  const ir::Node& n = p_.At(ref);
  auto kid = [&](uint32_t i) { return Eval(p_.Child(n, i), frame, rt); };
  switch (n.kind) {
    case NodeKind::Const:
      if (n.none) return Value::None(n.type);
      return Of(n.type, n.type == ValueKind::String ? int64_t(rt.StringId(n.imm)) : n.imm);
    case NodeKind::EventField:
      if (frame.event == nullptr || size_t(n.a) >= frame.event->fields.size()) return Value::None(n.type);
      return frame.event->fields[size_t(n.a)];
    case NodeKind::ProfileField: return rt.Profile(n.a);
    case NodeKind::Metric: return rt.Metric(n.a);
    case NodeKind::Segment: return Value::Bool(rt.Segment(n.a));
    case NodeKind::Param: return frame.params[n.a];
    case NodeKind::Local: return frame.locals ? (*frame.locals)[size_t(n.a)] : Value::None(n.type);
    case NodeKind::Balance: return Value::Int(rt.Balance(n.a));
    case NodeKind::PointsEver: return Value::Int(rt.PointsEver());
    case NodeKind::Level: return rt.Level();
    case NodeKind::Now: return Value::Time(rt.Now());
    case NodeKind::Builtin: return EvalBuiltin(n, frame, rt);
    case NodeKind::Call: {
      Value args[8];
      std::vector<Value> spill;
      Value* argv = args;
      if (n.count > 8) {
        spill.resize(n.count);
        argv = spill.data();
      }
      for (uint32_t i = 0; i < n.count; ++i) argv[i] = kid(i);
      Frame inner{frame.event, nullptr, argv};
      return Eval(p_.fns[size_t(n.a)].body, inner, rt);
    }
    case NodeKind::Not: {
      Value v = kid(0);
      return v.none ? Value::Bool(false) : Value::Bool(v.i == 0);
    }
    case NodeKind::Neg: {
      Value v = kid(0);
      if (v.none) return v;
      return Of(n.type, Clamp(-__int128(v.i)));
    }
    case NodeKind::And: {
      Value a = kid(0);
      if (a.none || a.i == 0) return Value::Bool(false);
      Value b = kid(1);
      return Value::Bool(!b.none && b.i != 0);
    }
    case NodeKind::Or: {
      Value a = kid(0);
      if (!a.none && a.i != 0) return Value::Bool(true);
      Value b = kid(1);
      return Value::Bool(!b.none && b.i != 0);
    }
    case NodeKind::Widen: {
      Value v = kid(0);
      if (v.none) return Value::None(ValueKind::Decimal);
      return Of(ValueKind::Decimal, Clamp(__int128(v.i) * core::kDecimalScale));
    }
    default: break;
  }
  // Binary operators: comparing or computing with none yields false / none.
  Value a = kid(0), b = kid(1);
  switch (n.kind) {
    case NodeKind::Eq: return Value::Bool(!a.none && !b.none && a.i == b.i);
    case NodeKind::Ne: return Value::Bool(!a.none && !b.none && a.i != b.i);
    case NodeKind::Lt: return Value::Bool(!a.none && !b.none && a.i < b.i);
    case NodeKind::Le: return Value::Bool(!a.none && !b.none && a.i <= b.i);
    case NodeKind::Gt: return Value::Bool(!a.none && !b.none && a.i > b.i);
    case NodeKind::Ge: return Value::Bool(!a.none && !b.none && a.i >= b.i);
    default: break;
  }
  if (a.none || b.none) return Value::None(n.type);
  switch (n.kind) {
    case NodeKind::Add: return Of(n.type, Clamp(__int128(a.i) + b.i));
    case NodeKind::Sub: return Of(n.type, Clamp(__int128(a.i) - b.i));
    case NodeKind::Mul: {
      if (n.type == ValueKind::Decimal) {
        bool overflow;
        int64_t r = DecimalMul(a.i, b.i, &overflow);
        if (overflow) rt.CountWarning("overflow");
        return Of(n.type, r);
      }
      return Of(n.type, Clamp(__int128(a.i) * b.i));
    }
    case NodeKind::Div: {
      bool by_zero;
      int64_t r = DecimalDiv(a.i, b.i, &by_zero);
      if (by_zero) rt.CountWarning("division_by_zero");
      return Of(ValueKind::Decimal, r);
    }
    default: break;
  }
  return Value::None(n.type);
}

Value Interpreter::EvalBuiltin(const ir::Node& n, Frame& frame, Runtime& rt) const {
  auto kid = [&](uint32_t i) { return Eval(p_.Child(n, i), frame, rt); };
  const int64_t s = core::kDecimalScale;
  switch (static_cast<ir::BuiltinFn>(n.a)) {
    case ir::BuiltinFn::Has: return Value::Bool(!kid(0).none);
    case ir::BuiltinFn::Floor:
    case ir::BuiltinFn::Ceil:
    case ir::BuiltinFn::Round: {
      Value v = kid(0);
      if (v.none) return Value::None(ValueKind::Int);
      int64_t q = v.i / s, r = v.i % s;
      if (r < 0) { q -= 1; r += s; }                 // floor division
      auto fn = static_cast<ir::BuiltinFn>(n.a);
      if (fn == ir::BuiltinFn::Ceil && r > 0) q += 1;
      if (fn == ir::BuiltinFn::Round && r * 2 >= s) q += 1;   // half away from zero for positives
      return Value::Int(q);
    }
    case ir::BuiltinFn::Abs: {
      Value v = kid(0);
      if (!v.none) v.i = Clamp(v.i < 0 ? -__int128(v.i) : __int128(v.i));
      return v;
    }
    case ir::BuiltinFn::Min:
    case ir::BuiltinFn::Max: {
      Value a = kid(0), b = kid(1);
      if (a.none) return b;
      if (b.none) return a;
      bool take_a = static_cast<ir::BuiltinFn>(n.a) == ir::BuiltinFn::Min ? a.i <= b.i : a.i >= b.i;
      return take_a ? a : b;
    }
    case ir::BuiltinFn::Hour: {
      Value t = kid(0);
      return t.none ? Value::None(ValueKind::Int) : Value::Int(rt.Hour(t.i));
    }
    case ir::BuiltinFn::Weekday: {
      Value t = kid(0);
      return t.none ? Value::None(ValueKind::Int) : Value::Int(rt.Weekday(t.i));
    }
    case ir::BuiltinFn::Lower:
    case ir::BuiltinFn::Upper: {
      Value v = kid(0);
      if (v.none) return v;
      std::string text = rt.StringText(uint32_t(v.i));
      bool lower = static_cast<ir::BuiltinFn>(n.a) == ir::BuiltinFn::Lower;
      for (char& c : text) c = char(lower ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
      return Value::String(rt.InternText(text));
    }
    case ir::BuiltinFn::Contains:
    case ir::BuiltinFn::StartsWith: {
      Value a = kid(0), b = kid(1);
      if (a.none || b.none) return Value::Bool(false);
      const std::string& hay = rt.StringText(uint32_t(a.i));
      const std::string& needle = rt.StringText(uint32_t(b.i));
      bool r = static_cast<ir::BuiltinFn>(n.a) == ir::BuiltinFn::Contains ? hay.find(needle) != std::string::npos
                                                                          : hay.rfind(needle, 0) == 0;
      return Value::Bool(r);
    }
  }
  return Value::None(n.type);
}

void Interpreter::Run(const ir::Block& block, Frame& frame, Runtime& rt) const {
  std::vector<Value> data;
  for (const ir::Stmt& s : block) {
    switch (s.kind) {
      case ir::StmtKind::Let:
        if (frame.locals) (*frame.locals)[size_t(s.target)] = Eval(s.value, frame, rt);
        continue;
      case ir::StmtKind::If:
        Run(Test(s.value, frame, rt) ? s.body : s.else_body, frame, rt);
        continue;
      case ir::StmtKind::Wait:
      case ir::StmtKind::WaitFor:
      case ir::StmtKind::Split:
      case ir::StmtKind::Exit:
        continue;   // flow steps: run by the engine's flow machine
      default:
        break;
    }
    Value v = s.value >= 0 ? Eval(s.value, frame, rt) : Value{};
    data.clear();
    for (const ir::SendField& f : s.data) data.push_back(Eval(f.value, frame, rt));
    rt.Effect(s, v, data);
  }
}

void Interpreter::HandleEvent(const core::Event& event, Runtime& rt) const {
  const ir::EventPlan& plan = p_.plans[size_t(event.type)];
  Frame frame{&event, nullptr, nullptr};
  for (int32_t m : plan.metrics) {
    const ir::Aggregate& a = p_.metrics[size_t(m)].aggregate;
    if (!Test(a.filter, frame, rt)) continue;
    rt.AddToMetric(m, a.argument >= 0 ? Eval(a.argument, frame, rt) : Value{});
  }
  rt.MetricsDone();
  std::vector<Value> locals;
  for (int32_t r : plan.rules) {
    const ir::Rule& rule = p_.rules[size_t(r)];
    locals.assign(size_t(rule.local_count), Value{});
    Frame rule_frame{&event, &locals, nullptr};
    if (probe_) probe_->BeforeRule(r, rule_frame, rt);
    if (!Test(rule.where, rule_frame, rt) || !rt.EnterRule(r)) continue;
    Run(rule.body, rule_frame, rt);
    rt.LeaveRule();
  }
}

}  // namespace questline::interp
