// Metrics, segments, rules, levels, badges and missions.
#include "compiler/syntax/builder.h"

namespace questline::syntax {

// period : DAY | WEEK | MONTH
ast::Period Builder::BuildPeriod(P::PeriodContext* ctx) const {
  if (ctx == nullptr) return ast::Period::Forever;
  if (ctx->DAY()) return ast::Period::Day;
  if (ctx->WEEK()) return ast::Period::Week;
  return ast::Period::Month;
}

// metricDecl : METRIC ident '=' expr
ast::Decl Builder::BuildMetric(P::MetricDeclContext* ctx) {
  return ast::MetricDecl{MakeIdent(ctx->ident()), BuildExpr(ctx->expr()), Range(ctx)};
}

// segmentDecl : SEGMENT ident '=' (IMPORTED | expr (LOCKED AT expr)?)
ast::Decl Builder::BuildSegment(P::SegmentDeclContext* ctx) {
  ast::SegmentDecl decl;
  decl.name = MakeIdent(ctx->ident());
  decl.range = Range(ctx);
  decl.imported = ctx->IMPORTED() != nullptr;
  auto exprs = ctx->expr();
  if (!exprs.empty()) decl.condition = BuildExpr(exprs[0]);
  if (exprs.size() > 1) decl.locked_at = BuildExpr(exprs[1]);
  return decl;
}

// ruleDecl : RULE ident ON ident (WHERE expr)? '{' ruleItem* '}'
// ruleItem : stmt | capClause | limitClause | ';'
ast::Decl Builder::BuildRule(P::RuleDeclContext* ctx) {
  ast::RuleDecl decl;
  auto ids = ctx->ident();
  decl.name = MakeIdent(ids[0]);
  decl.event = MakeIdent(ids[1]);
  if (ctx->expr()) decl.where = BuildExpr(ctx->expr());
  decl.range = Range(ctx);
  for (auto* item : ctx->ruleItem()) {
    if (auto* s = item->stmt()) {
      ast::Stmt stmt;
      if (BuildStmt(s, &stmt)) decl.body.push_back(std::move(stmt));
    } else if (auto* c = item->capClause()) {
      // capClause : CAP expr ident (PER period)?
      if (!FirstClause(decl.cap.has_value(), c, "cap")) continue;
      decl.cap = ast::Bound{BuildExpr(c->expr()), MakeIdent(c->ident()),
                            BuildPeriod(c->period()), Range(c)};
    } else if (auto* l = item->limitClause()) {
      // limitClause : LIMIT expr (PER period)?
      if (!FirstClause(decl.limit.has_value(), l, "limit")) continue;
      decl.limit = ast::Bound{BuildExpr(l->expr()), {}, BuildPeriod(l->period()), Range(l)};
    }
  }
  return decl;
}

// levelDecl : LEVEL ident '{' levelItem* '}' ; levelItem : AT expr | ON REACH block
ast::Decl Builder::BuildLevel(P::LevelDeclContext* ctx) {
  ast::LevelDecl decl;
  decl.name = MakeIdent(ctx->ident());
  decl.range = Range(ctx);
  for (auto* item : ctx->levelItem()) {
    if (item->AT()) {
      if (FirstClause(decl.at != nullptr, item, "at")) decl.at = BuildExpr(item->expr());
    } else if (item->REACH()) {
      if (FirstClause(decl.on_reach.has_value(), item, "on reach"))
        decl.on_reach = BuildBlock(item->block());
    }
  }
  if (decl.at == nullptr)
    Error(diag::Kind::MissingClause, decl.name.range,
          "level '" + decl.name.name + "' has no `at` threshold",
          "add `at N`: the points_ever a player needs to reach it");
  return decl;
}

// badgeDecl : BADGE ident '{' badgeItem* '}' ; badgeItem : WHEN expr | ON EARN block
ast::Decl Builder::BuildBadge(P::BadgeDeclContext* ctx) {
  ast::BadgeDecl decl;
  decl.name = MakeIdent(ctx->ident());
  decl.range = Range(ctx);
  for (auto* item : ctx->badgeItem()) {
    if (item->WHEN()) {
      if (FirstClause(decl.when != nullptr, item, "when")) decl.when = BuildExpr(item->expr());
    } else if (item->EARN()) {
      if (FirstClause(decl.on_earn.has_value(), item, "on earn"))
        decl.on_earn = BuildBlock(item->block());
    }
  }
  if (decl.when == nullptr)
    Error(diag::Kind::MissingClause, decl.name.range,
          "badge '" + decl.name.name + "' has no `when` condition",
          "add `when CONDITION`: the badge is earned the first time it holds");
  return decl;
}

// missionDecl : MISSION ident '{' missionItem* '}'
ast::Decl Builder::BuildMission(P::MissionDeclContext* ctx) {
  ast::MissionDecl m;
  m.name = MakeIdent(ctx->ident());
  m.range = Range(ctx);
  for (auto* item : ctx->missionItem()) {
    if (auto* x = dynamic_cast<P::MissionTitleContext*>(item)) {
      if (FirstClause(m.title.has_value(), x, "title")) m.title = DecodeStringToken(x->STRING());
    } else if (auto* x = dynamic_cast<P::MissionAudienceContext*>(item)) {
      if (FirstClause(m.audience != nullptr, x, "audience")) m.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::UnlockOnEventContext*>(item)) {
      if (!FirstClause(m.unlock.kind != ast::UnlockKind::None, x, "unlock")) continue;
      m.unlock = {ast::UnlockKind::OnEvent, MakeIdent(x->ident()),
                  x->expr() ? BuildExpr(x->expr()) : nullptr, Range(x)};
    } else if (auto* x = dynamic_cast<P::UnlockAfterMissionContext*>(item)) {
      if (!FirstClause(m.unlock.kind != ast::UnlockKind::None, x, "unlock")) continue;
      m.unlock = {ast::UnlockKind::AfterMission, MakeIdent(x->ident()), nullptr, Range(x)};
    } else if (auto* x = dynamic_cast<P::UnlockAtLevelContext*>(item)) {
      if (!FirstClause(m.unlock.kind != ast::UnlockKind::None, x, "unlock")) continue;
      m.unlock = {ast::UnlockKind::AtLevel, MakeIdent(x->ident()), nullptr, Range(x)};
    } else if (auto* x = dynamic_cast<P::MissionOptInContext*>(item)) {
      if (FirstClause(m.opt_in, x, "opt_in")) m.opt_in = true;
    } else if (auto* x = dynamic_cast<P::MissionGivenContext*>(item)) {
      if (FirstClause(m.given, x, "given")) m.given = true, m.given_range = Range(x);
    } else if (auto* x = dynamic_cast<P::MissionActiveContext*>(item)) {
      if (!FirstClause(m.active.has_value(), x, "active")) continue;
      auto e = x->expr();
      m.active = ast::Interval{BuildExpr(e[0]), BuildExpr(e[1]), Range(x)};
    } else if (auto* x = dynamic_cast<P::MissionRecurringContext*>(item)) {
      if (!FirstClause(m.recurring != ast::Recurrence::None, x, "recurring")) continue;
      auto* r = x->recurrence();
      m.recurring = r->DAILY()     ? ast::Recurrence::Daily
                    : r->WEEKLY()  ? ast::Recurrence::Weekly
                    : r->MONTHLY() ? ast::Recurrence::Monthly
                                   : ast::Recurrence::OnCompletion;
      m.recurring_range = Range(x);
    } else if (auto* x = dynamic_cast<P::MissionTimeLimitContext*>(item)) {
      if (FirstClause(m.time_limit != nullptr, x, "time_limit"))
        m.time_limit = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::MissionOrderedContext*>(item)) {
      if (FirstClause(m.ordered, x, "ordered")) m.ordered = true;
    } else if (auto* x = dynamic_cast<P::MissionTaskContext*>(item)) {
      // TASK ident STRING? '{' expr stmt* '}'
      ast::Task task;
      task.name = MakeIdent(x->name());
      if (x->STRING()) task.title = DecodeStringToken(x->STRING());
      task.goal = BuildExpr(x->expr());
      task.body = BuildStmts(x->stmt());
      task.range = Range(x);
      m.tasks.push_back(std::move(task));
    } else if (auto* x = dynamic_cast<P::MissionRewardContext*>(item)) {
      if (!FirstClause(m.reward.has_value(), x, "reward")) continue;
      m.reward = BuildBlock(x->block());
      m.reward_range = Range(x);
    } else if (auto* x = dynamic_cast<P::MissionMaxCompletionsContext*>(item)) {
      if (FirstClause(m.max_completions != nullptr, x, "max_completions"))
        m.max_completions = BuildExpr(x->expr());
    }
  }
  if (m.tasks.empty())
    Error(diag::Kind::MissingClause, m.name.range,
          "mission '" + m.name.name + "' has no task",
          "add at least one `task NAME { AGGREGATE >= N }`");
  return m;
}

}  // namespace questline::syntax
