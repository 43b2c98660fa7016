// Metrics, segments, rules, levels and badges.
#include "compiler/sema/checker.h"

namespace questline::sema {

void ReportCycle(Checker& c, const std::string& what, const std::string& name, SourceRange range);

namespace {

bool ReadsTime(const Checker& c, const Expr& e) {
  if (e.kind == ExprKind::Now) return true;
  if (e.kind == ExprKind::Metric &&
      c.pkg.metrics[size_t(e.id)].aggregate.window.kind != ast::WindowKind::Lifetime)
    return true;
  if (e.kind == ExprKind::Segment && c.pkg.segments[size_t(e.id)].time_dependent) return true;
  for (const Expr& o : e.operands)
    if (ReadsTime(c, o)) return true;
  return false;
}

}  // namespace

// metric NAME = AGGREGATE — checked on first use or in order; a metric whose
// filter reaches back to itself is a cycle.
Expr EnsureMetricRef(Checker& c, int32_t id, SourceRange range) {
  Expr out;
  out.kind = ExprKind::Metric;
  out.id = id;
  out.range = range;
  Metric& m = c.pkg.metrics[size_t(id)];
  if (!m.anonymous && c.metric_state[size_t(id)] != 2) {
    const ast::MetricDecl& d = *c.DeclsOf<ast::MetricDecl>()[size_t(id)];
    if (c.metric_state[size_t(id)] == 1) {
      ReportCycle(c, "metric", m.name, d.name.range);
      out.type = {TypeKind::Error, -1};
      return out;
    }
    c.metric_state[size_t(id)] = 1;
    if (d.value->kind != ast::ExprKind::Aggregate) {
      c.Report(diag::Kind::AggregateArgument, d.value->range,
               "a metric is one aggregate, such as `sum(deposit.amount) over last 30d`")
          .hints.push_back("derive values from metrics in a segment, a condition or a `fn`");
      m.aggregate.result = {TypeKind::Error, -1};
    } else {
      Scope scope;
      Aggregate a = c.CheckAggregate(*d.value, scope);
      // CheckAggregate may have grown the table (anonymous metrics): re-fetch.
      c.pkg.metrics[size_t(id)].aggregate = std::move(a);
    }
    c.metric_state[size_t(id)] = 2;
  }
  out.type = c.pkg.metrics[size_t(id)].aggregate.result;
  return out;
}

// segment NAME = CONDITION [locked at INSTANT] | imported
Expr EnsureSegmentRef(Checker& c, int32_t id, SourceRange range) {
  Expr out;
  out.kind = ExprKind::Segment;
  out.id = id;
  out.range = range;
  out.type = {TypeKind::Bool, -1};
  if (c.segment_state[size_t(id)] == 2) return out;
  const ast::SegmentDecl& d = *c.DeclsOf<ast::SegmentDecl>()[size_t(id)];
  if (c.segment_state[size_t(id)] == 1) {
    ReportCycle(c, "segment", d.name.name, d.name.range);
    out.type = {TypeKind::Error, -1};
    return out;
  }
  if (!c.EnterDefinition(range)) {
    out.type = {TypeKind::Error, -1};
    return out;
  }
  c.segment_state[size_t(id)] = 1;
  Segment seg = c.pkg.segments[size_t(id)];
  seg.imported = d.imported;
  if (d.condition) {
    Scope scope;
    Expr cond = c.CheckCondition(d.condition.get(), scope, "a segment");
    if (cond.type.kind != TypeKind::Error) {
      seg.time_dependent = ReadsTime(c, cond);
      seg.condition = std::move(cond);
    }
  }
  if (d.locked_at) {
    int64_t at;
    if (c.ConstantInt(d.locked_at.get(), TypeKind::Time, "locked at", &at)) seg.locked_at = at;
  }
  c.pkg.segments[size_t(id)] = std::move(seg);
  c.segment_state[size_t(id)] = 2;
  c.LeaveDefinition();
  return out;
}

void Checker::CheckMetricsAndSegments() {
  size_t named = metric_state.size();
  for (size_t i = 0; i < named; ++i)
    if (!pkg.metrics[i].anonymous) EnsureMetricRef(*this, int32_t(i), pkg.metrics[i].range);
  for (size_t i = 0; i < pkg.segments.size(); ++i)
    EnsureSegmentRef(*this, int32_t(i), pkg.segments[i].range);
}

namespace {

std::optional<Bound> CheckBound(Checker& c, const std::optional<ast::Bound>& b, const char* clause) {
  if (!b) return std::nullopt;
  Bound out;
  out.period = b->period;
  if (!c.ConstantInt(b->amount.get(), TypeKind::Int, clause, &out.amount)) return std::nullopt;
  if (!b->currency.name.empty()) {
    out.currency = c.Resolve(b->currency, SymbolKind::Currency, diag::Kind::UnknownCurrency, "currency");
    if (out.currency < 0) return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<Bound> CheckBoundClause(Checker& c, const std::optional<ast::Bound>& b, const char* clause) {
  return CheckBound(c, b, clause);
}

// rule NAME on EVENT [where COND] { STMT… [cap N CUR [per P]] [limit N [per P]] }
void Checker::CheckRules() {
  auto decls = DeclsOf<ast::RuleDecl>();
  for (size_t i = 0; i < decls.size() && i < pkg.rules.size(); ++i) {
    const ast::RuleDecl& d = *decls[i];
    Rule& r = pkg.rules[i];
    r.event = Resolve(d.event, SymbolKind::Event, diag::Kind::UnknownEvent, "event");
    if (r.event < 0) continue;
    std::vector<std::pair<std::string, Type>> locals;
    Scope scope;
    scope.event = r.event;
    scope.locals = &locals;
    if (d.where) {
      Expr w = CheckCondition(d.where.get(), scope, "the `where` condition");
      if (w.type.kind != TypeKind::Error) pkg.rules[i].where = std::move(w);
    }
    StmtContext ctx;
    ctx.event = r.event;
    ctx.locals = &locals;
    Block body = CheckBlock(d.body, ctx);
    Rule& rule = pkg.rules[i];
    rule.body = std::move(body);
    rule.cap = CheckBound(*this, d.cap, "cap");
    rule.limit = CheckBound(*this, d.limit, "limit");
    rule.local_count = int32_t(locals.size());
  }
}

void Checker::CheckLevelsAndBadges() {
  auto levels = DeclsOf<ast::LevelDecl>();
  for (size_t i = 0; i < levels.size() && i < pkg.levels.size(); ++i) {
    int64_t at = 0;
    if (levels[i]->at) ConstantInt(levels[i]->at.get(), TypeKind::Int, "at", &at);
    StmtContext ctx;
    Block on_reach = levels[i]->on_reach ? CheckBlock(*levels[i]->on_reach, ctx) : Block{};
    pkg.levels[i].at = at;
    pkg.levels[i].on_reach = std::move(on_reach);
  }
  auto badges = DeclsOf<ast::BadgeDecl>();
  for (size_t i = 0; i < badges.size() && i < pkg.badges.size(); ++i) {
    Scope scope;
    Expr when = CheckCondition(badges[i]->when.get(), scope, "a badge's `when`");
    StmtContext ctx;
    Block on_earn = badges[i]->on_earn ? CheckBlock(*badges[i]->on_earn, ctx) : Block{};
    pkg.badges[i].when = std::move(when);
    pkg.badges[i].on_earn = std::move(on_earn);
  }
}

}  // namespace questline::sema
