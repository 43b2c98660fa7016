// Typed random expressions: leaves (literals, fields, metrics, consts,
// built-in values) and compounds (arithmetic with saturation and division by
// zero, comparisons of every type, and/or/not, builtins, fn calls, inline
// aggregates, shared subexpressions).
#include "tests/jit/expr_gen.h"

namespace questline::jitdiff {

std::string SharedKey(const std::string& event, Ty t) { return event + "|" + std::to_string(int(t)); }

namespace {

std::string Paren(const std::string& a, const char* op, const std::string& b) { return "(" + a + " " + op + " " + b + ")"; }
std::string Call1(const char* fn, const std::string& a) { return std::string(fn) + "(" + a + ")"; }
std::string Call2(const char* fn, const std::string& a, const std::string& b) {
  return std::string(fn) + "(" + a + ", " + b + ")";
}

}  // namespace

Ty ExprGen::AnyType() {
  static const std::vector<std::pair<Ty, int>> weights = {
      {Ty::Int, 25}, {Ty::Dec, 25}, {Ty::Bool, 14}, {Ty::Str, 10}, {Ty::Time, 8}, {Ty::Dur, 8},
      {Ty::Pct, 4},  {Ty::GameType, 2}, {Ty::Tier, 2}, {Ty::Device, 2}};
  int r = int(rng_.Below(100));
  for (const auto& [t, w] : weights) {
    if (r < w) return t;
    r -= w;
  }
  return Ty::Int;
}

std::string ExprGen::Literal(Ty t) {
  switch (t) {
    case Ty::Int:
      if (rng_.Chance(80)) return std::to_string(rng_.Range(0, 12));
      return rng_.Pick({"100", "1_000", "3_037_000_500", "4_611_686_018_427_387_904", "9_223_372_036_854_775_807"});
    case Ty::Dec:
      return rng_.Pick({"0.0", "0.5", "1.25", "2.5", "10.0", "0.000001", "99.999999", "3_037_000.5",
                        "90_000_000_000.0", "7.75"});
    case Ty::Bool: return rng_.Chance(50) ? "true" : "false";
    case Ty::Str: return rng_.Pick({"\"book\"", "\"Book\"", "\"\"", "\"b\"", "\"BOOK_of\"", "\"slots\"", "\"GB\"", "\"x y\""});
    case Ty::Time:
      return rng_.Pick({"2026-12-01T00:00Z", "2026-12-02T12:30Z", "2026-12-03T00:00:00+01:00", "1970-01-01T00:00Z"});
    case Ty::Dur: return rng_.Pick({"0s", "500ms", "30m", "90m", "1h", "12h", "1d", "3d", "2w", "10:30"});
    case Ty::Pct: return rng_.Pick({"0%", "5%", "12.5%", "50%", "100%"});
    default: return "\"" + rng_.Pick(UnionMembers(t)) + "\"";
  }
}

std::string ExprGen::Leaf(Ty t, const Scope& s) {
  std::vector<std::string> c;
  if (const EventDef* ev = s.event.empty() ? nullptr : FindEvent(s.event)) {
    for (const FieldDef& f : ev->fields)
      if (f.ty == t) c.push_back(s.event + "." + f.name);
    if (t == Ty::Time) c.push_back(s.event + ".ts");
    if (t == Ty::Str && rng_.Chance(20)) c.push_back(s.event + ".user");
  }
  for (const auto& [name, ty] : s.vars)
    if (ty == t) c.push_back(name);
  for (const Named& metric : m_.metrics)
    if (metric.rank < s.metric_bound && metric.ty == t) c.push_back(metric.name);
  for (const Named& k : m_.consts)
    if (k.ty == t) c.push_back(k.name);
  if (s.runtime) {
    if (t == Ty::Int) c.insert(c.end(), {"points", "gems", "points_ever"});
    if (t == Ty::Bool) c.insert(c.end(), {"profile.vip", "profile.marketing_opt_in"});
    if (t == Ty::Str) c.insert(c.end(), {"profile.country", "profile.language"});
    if (t == Ty::Time) c.insert(c.end(), {"now", "profile.registered_at"});
  }
  if (t == Ty::Bool)
    for (int i = 0; i < s.segment_bound; ++i) c.push_back(m_.segments[size_t(i)]);
  if (t == Ty::Int && rng_.Chance(5)) return rng_.Pick({"mon", "sat", "sun"});   // a weekday is an int
  if (c.empty() || rng_.Chance(22)) return Literal(t);
  return rng_.Pick(c);
}

std::string ExprGen::Gen(Ty t, const Scope& s, int depth) {
  if (s.shared && rng_.Chance(s.pool.empty() ? 22 : 45)) {
    // Metric filters ranked high enough may share expressions that read the
    // two lowest-ranked metrics ("filter2:"), updated earlier or later in
    // the same event depending on declaration order.
    const bool reads = s.pool == "filter:" && s.metric_bound >= 2 && rng_.Chance(50);
    auto it = m_.shared.find(SharedKey(reads ? "filter2:" + s.event : s.pool + s.event, t));
    if (it != m_.shared.end() && !it->second.empty()) return rng_.Pick(it->second);
  }
  if (depth <= 0 || rng_.Chance(35)) return Leaf(t, s);
  std::string c = Compound(t, s, depth);
  return c.empty() ? Leaf(t, s) : c;
}

std::string ExprGen::Divisor(const Scope& s, int depth) {
  int r = int(rng_.Below(100));
  if (r < 35 && s.event == "bet") return rng_.Chance(80) ? "bet.div" : "bet.qty";
  if (r < 35 && s.event == "deposit") return "deposit.parts";
  if (r < 42) return "0";
  if (r < 62) return rng_.Pick({"4", "10", "3", "2.5", "0.000001"});   // non-zero constants (memoisable)
  return Gen(rng_.Chance(60) ? Ty::Int : Ty::Dec, s, depth - 1);
}

std::string ExprGen::Call(Ty t, const Scope& s, int depth) {
  std::vector<const FnInfo*> fns;
  for (int i = 0; i < s.fn_bound && i < int(m_.fns.size()); ++i)
    if (m_.fns[size_t(i)].result == t && m_.fns[size_t(i)].metric_bound <= s.metric_bound) fns.push_back(&m_.fns[size_t(i)]);
  if (fns.empty()) return "";
  const FnInfo* f = rng_.Pick(fns);
  std::string out = f->name + "(";
  for (size_t i = 0; i < f->params.size(); ++i) out += (i ? ", " : "") + Gen(f->params[i].second, s, depth - 1);
  return out + ")";
}

std::string ExprGen::Window() {
  if (rng_.Chance(45)) return "";
  return rng_.Pick({" over last 7d", " over last 1d", " over last 2h", " over last 30m", " over last 90s", " over today",
                    " over this week", " over this month"});
}

std::string ExprGen::Aggregate(const std::string& event, Ty want, const Scope& filter_scope, bool* noneable,
                               bool with_window) {
  const EventDef* ev = FindEvent(event);
  struct Option { std::string text; bool noneable; };
  std::vector<Option> options;
  if (want == Ty::Int)
    for (const char* fn : {"count", "count", "count", "distinct_days", "streak_days", "streak_weeks"})
      options.push_back({std::string(fn) + "(" + event, false});
  std::vector<FieldDef> fields = ev->fields;
  fields.push_back({"ts", Ty::Time, false});
  for (const FieldDef& f : fields) {
    const std::string arg = "(" + event + "." + f.name;
    if (f.ty == want && IsNumeric(f.ty)) options.push_back({"sum" + arg, false});
    if (want == Ty::Dec && IsNumeric(f.ty)) options.push_back({"avg" + arg, true});
    if (f.ty == want && (IsNumeric(f.ty) || f.ty == Ty::Time || f.ty == Ty::Dur)) {
      options.push_back({"min" + arg, true});
      options.push_back({"max" + arg, true});
    }
    if (f.ty == want)
      for (const char* fn : {"first", "last", "top"}) options.push_back({fn + arg, true});
  }
  if (options.empty()) return "";
  const Option& o = rng_.Pick(options);
  *noneable = o.noneable;
  std::string text = o.text;
  if (rng_.Chance(55)) {
    Scope f = filter_scope;
    f.event = event;
    f.vars.clear();
    f.inline_aggregates = false;
    text += " where " + Cond(f, 2);
  }
  // A streak takes no window (Q0414); the draw is still made, so that every
  // seed keeps generating the same package otherwise.
  const std::string window = with_window ? Window() : "";
  const bool streak = text.compare(0, 7, "streak_") == 0;
  return text + ")" + (streak ? "" : window);
}

std::string ExprGen::InlineAggregate(Ty t, const Scope& s) {
  if (!s.inline_aggregates) return "";
  Scope f = s;
  f.shared = false;   // the pool may name segments this position must not reach
  bool noneable = false;
  const std::string event = rng_.Chance(70) ? "bet" : rng_.Pick({"deposit", "login"});
  // Parenthesised: `over last EXPR` would swallow whatever follows.
  const std::string agg = Aggregate(event, t, f, &noneable);
  return agg.empty() ? "" : "(" + agg + ")";
}

std::string ExprGen::Comparison(const Scope& s, int depth) {
  // Every random draw is its own statement: argument evaluation order is
  // unspecified in C++, and a seed must mean the same package everywhere.
  const char* op = rng_.Pick({"==", "!=", "<", "<=", ">", ">="});
  const char* eq = rng_.Pick({"==", "!="});
  auto bin = [&](Ty a, const char* o, Ty b) {
    std::string x = Gen(a, s, depth - 1);
    std::string y = Gen(b, s, depth - 1);
    return Paren(x, o, y);
  };
  int r = int(rng_.Below(100));
  if (r < 45) {
    Ty a = rng_.Chance(50) ? Ty::Int : Ty::Dec;
    Ty b = rng_.Chance(50) ? Ty::Int : Ty::Dec;
    return bin(a, op, b);
  }
  if (r < 52) return bin(Ty::Time, op, Ty::Time);
  if (r < 60) return bin(Ty::Dur, op, Ty::Dur);
  if (r < 65) return bin(Ty::Pct, op, Ty::Pct);
  if (r < 76) return bin(Ty::Str, eq, Ty::Str);
  if (r < 90) {
    Ty u = rng_.Pick(std::vector<Ty>{Ty::GameType, Ty::Tier, Ty::Device});
    std::string x = Gen(u, s, depth - 1);
    std::string y = rng_.Chance(70) ? Literal(u) : Gen(u, s, depth - 1);
    return Paren(x, eq, y);
  }
  if (r < 95 && s.runtime && !m_.levels.empty()) return Paren("level", eq, "\"" + rng_.Pick(m_.levels) + "\"");
  return bin(Ty::Bool, eq, Ty::Bool);
}

std::string ExprGen::Compound(Ty t, const Scope& s, int depth) {
  auto g = [&](Ty x) { return Gen(x, s, depth - 1); };
  auto bin = [&](Ty a, const char* op, Ty b) {
    std::string x = g(a);
    std::string y = g(b);
    return Paren(x, op, y);
  };
  auto fn2 = [&](const char* fn, Ty a, Ty b) {
    std::string x = g(a);
    std::string y = g(b);
    return Call2(fn, x, y);
  };
  const Ty num = rng_.Chance(50) ? Ty::Int : Ty::Dec;
  const char* arith = rng_.Pick({"+", "-", "*"});
  const char* mm = rng_.Pick({"min", "max"});
  const char* rounding = rng_.Pick({"floor", "ceil", "round"});
  int r = int(rng_.Below(100));
  switch (t) {
    case Ty::Int:
      if (r < 30) return bin(Ty::Int, arith, Ty::Int);
      if (r < 36) return "(-" + g(Ty::Int) + ")";
      if (r < 42) return Call1("abs", g(Ty::Int));
      if (r < 50) return fn2(mm, Ty::Int, Ty::Int);
      if (r < 72) {
        if (rng_.Chance(40)) return Call1(rounding, g(Ty::Dec));
        std::string x = g(num);
        return Call1(rounding, Paren(x, "/", Divisor(s, depth)));
      }
      if (r < 80) {
        const char* fn = rng_.Chance(50) ? "hour" : "weekday";
        return Call1(fn, g(Ty::Time));
      }
      if (r < 90) return Call(t, s, depth);
      return InlineAggregate(t, s);
    case Ty::Dec:
      if (r < 30) return rng_.Chance(60) ? bin(Ty::Dec, arith, num) : bin(num, arith, Ty::Dec);
      if (r < 55) {
        std::string x = g(num);
        return Paren(x, "/", Divisor(s, depth));
      }
      if (r < 60) return "(-" + g(Ty::Dec) + ")";
      if (r < 65) return Call1("abs", g(Ty::Dec));
      if (r < 75) return rng_.Chance(50) ? fn2(mm, Ty::Dec, num) : fn2(mm, num, Ty::Dec);
      if (r < 88) return Call(t, s, depth);
      return InlineAggregate(t, s);
    case Ty::Bool:
      if (r < 40) return Comparison(s, depth);
      if (r < 52) return bin(Ty::Bool, "and", Ty::Bool);
      if (r < 64) return bin(Ty::Bool, "or", Ty::Bool);
      if (r < 70) return "(not " + g(Ty::Bool) + ")";
      if (r < 80) {
        std::vector<std::string> noneable;
        for (const Named& metric : m_.metrics)
          if (metric.rank < s.metric_bound && metric.noneable) noneable.push_back(metric.name);
        if (!noneable.empty() && rng_.Chance(75)) return Call1("has", rng_.Pick(noneable));
        return Call1("has", g(AnyType()));
      }
      if (r < 88) {
        const char* fn = rng_.Chance(50) ? "contains" : "starts_with";
        Ty a = rng_.Chance(75) ? Ty::Str : Ty::GameType;
        Ty b = rng_.Chance(75) ? Ty::Str : Ty::Tier;
        return fn2(fn, a, b);
      }
      if (r < 94) return Call(t, s, depth);
      {
        std::string agg = InlineAggregate(Ty::Int, s);
        if (agg.empty()) return "";
        const char* cmp = rng_.Pick({">=", "==", "<"});
        return Paren(agg, cmp, std::to_string(rng_.Range(0, 4)));
      }
    case Ty::Str:
      if (r < 80) {
        const char* fn = rng_.Chance(50) ? "lower" : "upper";
        return Call1(fn, g(rng_.Chance(70) ? Ty::Str : Ty::GameType));
      }
      return Call(t, s, depth);
    case Ty::Time:
      if (r < 30) return bin(Ty::Time, rng_.Chance(50) ? "+" : "-", Ty::Dur);
      if (r < 40) return bin(Ty::Dur, "+", Ty::Time);
      if (r < 55) return fn2(mm, Ty::Time, Ty::Time);
      if (r < 75) return Call(t, s, depth);
      return InlineAggregate(t, s);
    case Ty::Dur:
      if (r < 20) return bin(Ty::Dur, rng_.Chance(50) ? "+" : "-", Ty::Dur);
      if (r < 35) return rng_.Chance(50) ? bin(Ty::Dur, "*", Ty::Int) : bin(Ty::Int, "*", Ty::Dur);
      if (r < 42) return "(-" + g(Ty::Dur) + ")";
      if (r < 50) return Call1("abs", g(Ty::Dur));
      if (r < 58) return fn2(mm, Ty::Dur, Ty::Dur);
      if (r < 80) return bin(Ty::Time, "-", Ty::Time);
      if (r < 90) return Call(t, s, depth);
      return InlineAggregate(t, s);
    case Ty::Pct: return fn2(mm, Ty::Pct, Ty::Pct);
    default: return r < 20 ? InlineAggregate(t, s) : "";
  }
}

}  // namespace questline::jitdiff
