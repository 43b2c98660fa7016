// Aggregates: `count(bet where …) over this week`. Named metrics, inline
// (anonymous) metrics, task goals and competition scores all go through here.
#include "compiler/sema/checker.h"

namespace questline::sema {

Aggregate Checker::CheckAggregate(const ast::Expr& e, const Scope& outer) {
  Aggregate a;
  a.fn = e.aggregate;
  a.range = e.range;
  a.result = {TypeKind::Error, -1};
  const ast::Expr& arg = *e.operands[0];
  const bool takes_event = a.fn == ast::AggregateFn::Count || a.fn == ast::AggregateFn::DistinctDays ||
                           a.fn == ast::AggregateFn::StreakDays || a.fn == ast::AggregateFn::StreakWeeks;
  const std::string fn_name = e.text;
  const ast::Expr* event_name = takes_event ? &arg
                                : arg.kind == ast::ExprKind::Member ? arg.operands[0].get() : nullptr;
  if (event_name == nullptr || event_name->kind != ast::ExprKind::Name) {
    Report(diag::Kind::AggregateArgument, arg.range,
           "'" + fn_name + "' aggregates " +
               (takes_event ? "an event, such as `" + fn_name + "(deposit)`"
                            : "an event field, such as `" + fn_name + "(deposit.amount)`"))
        .hints.push_back(takes_event ? "filter with `where`: `count(bet where bet.amount > 10)`"
                                     : "name the event and its field");
    return a;
  }
  a.event = pkg.EventId(event_name->text);
  if (a.event < 0) {
    ReportUnknown(diag::Kind::UnknownEvent, event_name->range, "event", event_name->text,
                  NamesOf(SymbolKind::Event));
    return a;
  }
  used[event_name->text] = "aggregate";
  Scope inner = outer;
  inner.event = a.event;
  inner.constant = false;
  Type result{TypeKind::Int, -1};
  if (!takes_event) {
    Expr value = CheckExpr(arg, inner);
    if (value.type.kind == TypeKind::Error) return a;
    const Type t = value.type;
    const bool numeric = t.kind == TypeKind::Int || t.kind == TypeKind::Decimal;
    if ((a.fn == ast::AggregateFn::Sum || a.fn == ast::AggregateFn::Avg) && !numeric) {
      Report(diag::Kind::AggregateArgument, arg.range,
             "'" + fn_name + "' needs a number, and '" + arg.text + "' is " + TypeName(t));
      return a;
    }
    if ((a.fn == ast::AggregateFn::Min || a.fn == ast::AggregateFn::Max) && !numeric &&
        t.kind != TypeKind::Time && t.kind != TypeKind::Duration) {
      Report(diag::Kind::AggregateArgument, arg.range,
             "'" + fn_name + "' needs a number or a time, and '" + arg.text + "' is " + TypeName(t));
      return a;
    }
    result = a.fn == ast::AggregateFn::Avg ? Type{TypeKind::Decimal, -1} : t;
    a.argument = std::move(value);
  }
  if (e.filter) {
    Expr filter = CheckCondition(e.filter.get(), inner, "the `where` condition");
    if (filter.type.kind == TypeKind::Error) return a;
    a.filter = std::move(filter);
  }
  // A streak counts back from today or yesterday: a window would only be ignored.
  if ((a.fn == ast::AggregateFn::StreakDays || a.fn == ast::AggregateFn::StreakWeeks) &&
      e.window.kind != ast::WindowKind::Lifetime) {
    Report(diag::Kind::StreakWindow, e.window.range,
           "'" + fn_name + "' counts back from today and takes no window")
        .hints.push_back("drop the `over …`; for days with an event inside a window use `distinct_days`");
    return a;
  }
  a.window.kind = e.window.kind;
  if (e.window.kind == ast::WindowKind::Last &&
      !ConstantInt(e.window.length.get(), TypeKind::Duration, "last", &a.window.length_ms))
    return a;
  a.result = result;
  return a;
}

Expr HoistAggregate(Checker& c, const ast::Expr& e, const Scope& scope) {
  Aggregate a = c.CheckAggregate(e, scope);
  Expr out;
  out.range = e.range;
  out.type = a.result;
  if (a.result.kind == TypeKind::Error) return out;
  // Identical inline aggregates share one metric: one update per event.
  std::string key = std::to_string(int(a.fn)) + "|" + std::to_string(a.event) + "|" +
                    (a.argument ? Fingerprint(*a.argument) : "") + "|" +
                    (a.filter ? Fingerprint(*a.filter) : "") + "|" +
                    std::to_string(int(a.window.kind)) + "|" + std::to_string(a.window.length_ms);
  auto it = c.anon_metrics.find(key);
  int32_t id;
  if (it != c.anon_metrics.end()) {
    id = it->second;
  } else {
    id = int32_t(c.pkg.metrics.size());
    Metric m;
    m.name = "$" + std::to_string(c.anon_metrics.size());
    m.anonymous = true;
    m.aggregate = std::move(a);
    m.range = e.range;
    c.pkg.metrics.push_back(std::move(m));
    c.anon_metrics.emplace(key, id);
  }
  out.kind = ExprKind::Metric;
  out.id = id;
  return out;
}

std::string Fingerprint(const Expr& e) {
  std::string s = "(" + std::to_string(int(e.kind)) + ":" + std::to_string(int(e.type.kind)) + ":" +
                  std::to_string(e.id) + ":" + std::to_string(e.field) + ":" +
                  std::to_string(int(e.op)) + ":" + std::to_string(int(e.builtin)) + ":" +
                  std::to_string(e.value.i) + ":" + e.value.s;
  for (const Expr& o : e.operands) s += Fingerprint(o);
  return s + ")";
}

}  // namespace questline::sema
