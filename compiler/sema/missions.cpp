// Missions: audience, unlock, windows, recurrence, tasks and rewards.
#include "compiler/sema/checker.h"

namespace questline::sema {

// task NAME ["title"] { AGGREGATE OP THRESHOLD  STMT… }
static bool CheckTask(Checker& c, const ast::Task& t, Task* out) {
  out->name = t.name.name;
  out->title = t.title.value_or("");
  out->range = t.range;
  const ast::Expr& goal = *t.goal;
  bool comparison = goal.kind == ast::ExprKind::Binary && goal.binary_op >= ast::BinaryOp::Eq &&
                    goal.binary_op <= ast::BinaryOp::Ge;
  if (!comparison || goal.operands[0]->kind != ast::ExprKind::Aggregate) {
    c.Report(diag::Kind::TaskGoalShape, goal.range,
             "a task's goal is an aggregate compared with a threshold")
        .hints.push_back("write e.g. `count(bet where bet.game_type == \"slots\") >= 50`");
    return false;
  }
  Scope scope;
  out->aggregate = c.CheckAggregate(*goal.operands[0], scope);
  static const Op kOps[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
  out->op = kOps[int(goal.binary_op) - int(ast::BinaryOp::Eq)];
  Expr threshold = c.CheckExpr(*goal.operands[1], scope);
  if (out->aggregate.result.kind == TypeKind::Error || threshold.type.kind == TypeKind::Error) return false;
  const Type r = out->aggregate.result;
  bool numeric = (r.kind == TypeKind::Int || r.kind == TypeKind::Decimal) &&
                 (threshold.type.kind == TypeKind::Int || threshold.type.kind == TypeKind::Decimal);
  if (!numeric && !c.Assignable(threshold.type, r)) {
    c.Report(diag::Kind::CompareTypes, goal.range,
             "the task compares " + c.TypeName(r) + " with " + c.TypeName(threshold.type));
    return false;
  }
  Type common = r.kind == TypeKind::Decimal || threshold.type.kind == TypeKind::Decimal
                    ? Type{TypeKind::Decimal, -1} : r;
  out->threshold = c.Convert(std::move(threshold), common);
  StmtContext ctx;
  out->body = c.CheckBlock(t.body, ctx);
  return true;
}

void Checker::CheckMissions() {
  auto decls = DeclsOf<ast::MissionDecl>();
  for (size_t i = 0; i < decls.size() && i < pkg.missions.size(); ++i) {
    const ast::MissionDecl& d = *decls[i];
    Mission m;
    m.name = d.name.name;
    m.range = d.range;
    m.title = d.title.value_or("");
    Scope scope;
    m.audience = CheckOptionalCondition(d.audience, scope, "a mission's audience");
    m.unlock = d.unlock.kind;
    switch (d.unlock.kind) {
      case ast::UnlockKind::None: break;
      case ast::UnlockKind::OnEvent: {
        m.unlock_target = Resolve(d.unlock.target, SymbolKind::Event, diag::Kind::UnknownEvent, "event");
        if (m.unlock_target >= 0 && d.unlock.where) {
          Scope on_event;
          on_event.event = m.unlock_target;
          Expr w = CheckCondition(d.unlock.where.get(), on_event, "the `where` condition");
          if (w.type.kind != TypeKind::Error) m.unlock_where = std::move(w);
        }
        break;
      }
      case ast::UnlockKind::AfterMission:
        m.unlock_target = Resolve(d.unlock.target, SymbolKind::Mission, diag::Kind::UnknownMission, "mission");
        break;
      case ast::UnlockKind::AtLevel:
        m.unlock_target = Resolve(d.unlock.target, SymbolKind::Level, diag::Kind::UnknownLevel, "level");
        break;
    }
    m.opt_in = d.opt_in;
    m.given = d.given;
    ConstantInterval(d.active, "active", &m.active_from, &m.active_to);
    m.recurring = d.recurring;
    if (d.time_limit) {
      int64_t ms;
      if (ConstantInt(d.time_limit.get(), TypeKind::Duration, "time_limit", &ms)) m.time_limit_ms = ms;
    }
    m.ordered = d.ordered;
    for (const ast::Task& t : d.tasks) {
      Task task;
      if (CheckTask(*this, t, &task)) m.tasks.push_back(std::move(task));
    }
    StmtContext ctx;
    if (d.reward) m.reward = CheckBlock(*d.reward, ctx);
    if (d.max_completions) ConstantInt(d.max_completions.get(), TypeKind::Int, "max_completions", &m.max_completions);
    else m.max_completions = d.recurring == ast::Recurrence::None ? 1 : 0;
    pkg.missions[i] = std::move(m);
  }
}

}  // namespace questline::sema
