// Flows (triggers, audience, holdout, re-entry, steps) and policies.
#include "compiler/sema/checker.h"
#include "core/channels.h"

namespace questline::sema {

int32_t ChannelOf(const std::string& name);   // stmts.cpp

void Checker::CheckFlows() {
  auto decls = DeclsOf<ast::FlowDecl>();
  for (size_t i = 0; i < decls.size() && i < pkg.flows.size(); ++i) {
    const ast::FlowDecl& d = *decls[i];
    Flow f = pkg.flows[i];
    f.trigger.kind = d.trigger.kind;
    f.trigger.weekday = d.trigger.weekday;
    f.trigger.minute = d.trigger.minute;
    int32_t event = -1;
    switch (d.trigger.kind) {
      case ast::TriggerKind::Event:
        f.trigger.target = event = Resolve(d.trigger.target, SymbolKind::Event, diag::Kind::UnknownEvent, "event");
        if (event >= 0 && d.trigger.where) {
          Scope on_event;
          on_event.event = event;
          Expr w = CheckCondition(d.trigger.where.get(), on_event, "the `where` condition");
          if (w.type.kind != TypeKind::Error) f.trigger.where = std::move(w);
        }
        break;
      case ast::TriggerKind::Enter:
      case ast::TriggerKind::Exit:
        f.trigger.target = Resolve(d.trigger.target, SymbolKind::Segment, diag::Kind::UnknownSegment, "segment");
        break;
      default: break;
    }
    Scope scope;
    f.audience = CheckOptionalCondition(d.audience, scope, "a flow's audience");
    if (d.holdout) ConstantInt(d.holdout.get(), TypeKind::Percent, "holdout", &f.holdout);
    if (d.reenter_after) {
      int64_t ms;
      if (ConstantInt(d.reenter_after.get(), TypeKind::Duration, "reenter after", &ms)) f.reenter_after_ms = ms;
    }
    // The trigger's event stays in scope for the steps that run at trigger time.
    std::vector<std::pair<std::string, Type>> locals;
    StmtContext ctx;
    ctx.in_flow = true;
    ctx.event = event;
    ctx.locals = &locals;
    f.steps = CheckBlock(d.steps, ctx);
    f.local_count = int32_t(locals.size());
    pkg.flows[i] = std::move(f);
  }
}

void Checker::CheckPolicies() {
  auto decls = DeclsOf<ast::PolicyDecl>();
  for (size_t i = 0; i < decls.size() && i < pkg.policies.size(); ++i) {
    const ast::PolicyDecl& d = *decls[i];
    Policy& p = pkg.policies[i];
    Scope scope;
    for (const ast::PolicyBlock& b : d.blocks) {
      Expr when = CheckCondition(b.when.get(), scope, "a policy's `when`");
      if (when.type.kind != TypeKind::Error) p.blocks.push_back({b.target, std::move(when), b.range});
    }
    for (const ast::PolicyCap& cap : d.message_caps) {
      PolicyCap out;
      out.period = cap.period;
      out.range = cap.range;
      if (ConstantInt(cap.count.get(), TypeKind::Int, "cap messages", &out.count)) p.message_caps.push_back(out);
    }
    for (const ast::QuietHours& q : d.quiet_hours) {
      QuietHours out{q.from_minute, q.to_minute, 0, q.range};
      for (const ast::Ident& ch : q.channels) {
        int32_t c = ChannelOf(ch.name);
        if (c < 0)
          ReportUnknown(diag::Kind::UnknownChannel, ch.range, "channel", ch.name,
                        std::vector<std::string>(std::begin(core::kChannelNames), std::end(core::kChannelNames)));
        else
          out.channels |= 1u << uint32_t(c);
      }
      p.quiet_hours.push_back(out);
    }
  }
}

}  // namespace questline::sema
