// Flows (campaign automation) and policies (guardrails).
#include "compiler/syntax/builder.h"

namespace questline::syntax {

// flowDecl : FLOW ident '{' flowItem* '}'
// flowItem : ON ENTER ident | ON EXIT ident | ON ident (WHERE expr)?
//          | EVERY (DAY | weekday) AT TIME_OF_DAY | AUDIENCE expr | HOLDOUT expr
//          | REENTER AFTER expr | stmt
ast::Decl Builder::BuildFlow(P::FlowDeclContext* ctx) {
  ast::FlowDecl flow;
  flow.name = MakeIdent(ctx->ident());
  flow.range = Range(ctx);
  auto set_trigger = [&](antlr4::ParserRuleContext* x, ast::Trigger t) {
    if (!FirstClause(flow.trigger.kind != ast::TriggerKind::None, x, "on")) return;
    t.range = Range(x);
    flow.trigger = std::move(t);
  };
  for (auto* item : ctx->flowItem()) {
    if (auto* x = dynamic_cast<P::FlowOnEnterContext*>(item)) {
      set_trigger(x, {ast::TriggerKind::Enter, MakeIdent(x->ident()), nullptr, -1, 0, {}});
    } else if (auto* x = dynamic_cast<P::FlowOnExitContext*>(item)) {
      set_trigger(x, {ast::TriggerKind::Exit, MakeIdent(x->ident()), nullptr, -1, 0, {}});
    } else if (auto* x = dynamic_cast<P::FlowOnEventContext*>(item)) {
      set_trigger(x, {ast::TriggerKind::Event, MakeIdent(x->ident()),
                      x->expr() ? BuildExpr(x->expr()) : nullptr, -1, 0, {}});
    } else if (auto* x = dynamic_cast<P::FlowEveryContext*>(item)) {
      set_trigger(x, {ast::TriggerKind::Schedule, {}, nullptr, WeekdayOf(x->weekday()),
                      MinuteOf(x->TIME_OF_DAY()), {}});
    } else if (auto* x = dynamic_cast<P::FlowAudienceContext*>(item)) {
      if (FirstClause(flow.audience != nullptr, x, "audience")) flow.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::FlowHoldoutContext*>(item)) {
      if (FirstClause(flow.holdout != nullptr, x, "holdout")) flow.holdout = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::FlowReenterContext*>(item)) {
      if (FirstClause(flow.reenter_after != nullptr, x, "reenter after"))
        flow.reenter_after = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::FlowStepContext*>(item)) {
      ast::Stmt stmt;
      if (BuildStmt(x->stmt(), &stmt)) flow.steps.push_back(std::move(stmt));
    }
  }
  if (flow.trigger.kind == ast::TriggerKind::None)
    Error(diag::Kind::MissingClause, flow.name.range,
          "flow '" + flow.name.name + "' has no trigger",
          "start it with `on EVENT`, `on enter SEGMENT`, `on exit SEGMENT` or `every day at HH:MM`");
  return flow;
}

// policyDecl : POLICY ident '{' policyClause* '}'
// policyClause : BLOCK (REWARDS | MESSAGES) WHEN expr | CAP MESSAGES expr (PER period)?
//              | QUIET_HOURS TIME_OF_DAY '-' TIME_OF_DAY (FOR ident (',' ident)*)?
ast::Decl Builder::BuildPolicy(P::PolicyDeclContext* ctx) {
  ast::PolicyDecl policy;
  policy.name = MakeIdent(ctx->ident());
  policy.range = Range(ctx);
  for (auto* clause : ctx->policyClause()) {
    if (auto* x = dynamic_cast<P::PolicyBlockContext*>(clause)) {
      policy.blocks.push_back({x->REWARDS() ? ast::PolicyTarget::Rewards : ast::PolicyTarget::Messages,
                               BuildExpr(x->expr()), Range(x)});
    } else if (auto* x = dynamic_cast<P::PolicyCapContext*>(clause)) {
      policy.message_caps.push_back({BuildExpr(x->expr()), BuildPeriod(x->period()), Range(x)});
    } else if (auto* x = dynamic_cast<P::PolicyQuietHoursContext*>(clause)) {
      ast::QuietHours q;
      q.from_minute = MinuteOf(x->TIME_OF_DAY(0));
      q.to_minute = MinuteOf(x->TIME_OF_DAY(1));
      for (auto* ch : x->ident()) q.channels.push_back(MakeIdent(ch));
      q.range = Range(x);
      policy.quiet_hours.push_back(std::move(q));
    }
  }
  return policy;
}

}  // namespace questline::syntax
