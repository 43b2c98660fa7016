// Statements: effects everywhere, flow steps only in flows.
#include "compiler/sema/checker.h"
#include "core/channels.h"

namespace questline::sema {
namespace {

using core::kChannelCount;
using core::kChannelNames;

bool IsStringy(Type t) { return t.kind == TypeKind::String || t.kind == TypeKind::Union; }

}  // namespace

int32_t ChannelOf(const std::string& name) {
  for (int32_t i = 0; i < kChannelCount; ++i)
    if (name == kChannelNames[i]) return i;
  return -1;
}

Block Checker::CheckBlock(const ast::Block& block, StmtContext& ctx) {
  Block out;
  const size_t scope_start = ctx.locals ? ctx.locals->size() : 0;
  Scope scope;
  scope.event = ctx.event;
  scope.locals = ctx.locals;
  auto amount = [&](const ast::Expr& e, const char* what) -> std::optional<Expr> {
    Expr v = CheckExpr(e, scope);
    if (v.type.kind == TypeKind::Error) return std::nullopt;
    if (v.type.kind == TypeKind::Decimal) {
      Report(diag::Kind::DecimalAmountFloored, e.range,
             std::string(what) + " is a decimal and is floored to a whole number")
          .hints.push_back("write `floor(…)`, `ceil(…)` or `round(…)` to say which rounding you mean");
      Expr f;
      f.kind = ExprKind::Builtin;
      f.builtin = Builtin::Floor;
      f.type = {TypeKind::Int, -1};
      f.range = v.range;
      f.operands.push_back(std::move(v));
      return f;
    }
    if (v.type.kind != TypeKind::Int) {
      Report(diag::Kind::AmountType, e.range,
             std::string(what) + " must be a whole number, found " + TypeName(v.type));
      return std::nullopt;
    }
    return v;
  };
  auto text = [&](const ast::Expr& e, const char* what) -> std::optional<Expr> {
    Expr v = CheckExpr(e, scope);
    if (v.type.kind == TypeKind::Error) return std::nullopt;
    if (!IsStringy(v.type)) {
      Report(diag::Kind::ClauseType, e.range, std::string(what) + " must be a string, found " + TypeName(v.type));
      return std::nullopt;
    }
    return v;
  };
  auto duration = [](int64_t ms) {
    Expr e;
    e.kind = ExprKind::Literal;
    e.type = {TypeKind::Duration, -1};
    e.value.kind = TypeKind::Duration;
    e.value.i = ms;
    return e;
  };
  auto flow_only = [&](const ast::Stmt& s, const char* what) {
    if (ctx.in_flow) return true;
    Report(diag::Kind::StatementPlacement, s.range, std::string("`") + what + "` is only allowed in a flow")
        .hints.push_back("rules, rewards and on-blocks run at once; waiting and branching belong to flows");
    return false;
  };

  for (const ast::Stmt& s : block) {
    Stmt st;
    st.kind = s.kind;
    st.range = s.range;
    switch (s.kind) {
      case ast::StmtKind::Award:
      case ast::StmtKind::Deduct:
        st.target = Resolve(s.target, SymbolKind::Currency, diag::Kind::UnknownCurrency, "currency");
        st.value = amount(*s.value, s.kind == ast::StmtKind::Award ? "the award" : "the deduction");
        if (st.target < 0 || !st.value) continue;
        break;
      case ast::StmtKind::GrantBonus:
        st.value = text(*s.value, "a bonus code");
        if (!st.value) continue;
        break;
      case ast::StmtKind::Send: {
        st.target = ChannelOf(s.target.name);
        if (st.target < 0) {
          ReportUnknown(diag::Kind::UnknownChannel, s.target.range, "channel", s.target.name,
                        std::vector<std::string>(std::begin(kChannelNames), std::end(kChannelNames)));
          continue;
        }
        st.value = text(*s.value, "a message template");
        if (!st.value) continue;
        bool ok = true;
        for (const ast::SendField& f : s.data) {
          Expr v = CheckExpr(*f.value, scope);
          ok &= v.type.kind != TypeKind::Error;
          st.data.push_back({f.key.name, std::move(v)});
        }
        if (!ok) continue;
        break;
      }
      case ast::StmtKind::UnlockMission:
      case ast::StmtKind::GiveMission:
        st.target = Resolve(s.target, SymbolKind::Mission, diag::Kind::UnknownMission, "mission");
        if (st.target < 0) continue;
        if (s.kind == ast::StmtKind::GiveMission) given_missions.insert(st.target);
        break;
      case ast::StmtKind::GiveAttempts:
        st.target = Resolve(s.target, SymbolKind::Minigame, diag::Kind::UnknownMinigame, "mini-game");
        st.value = amount(*s.value, "the number of attempts");
        if (st.target < 0 || !st.value) continue;
        break;
      case ast::StmtKind::GiveTickets:
        st.target = Resolve(s.target, SymbolKind::Raffle, diag::Kind::UnknownRaffle, "raffle");
        st.value = amount(*s.value, "the number of tickets");
        if (st.target < 0 || !st.value) continue;
        break;
      case ast::StmtKind::Tag:
      case ast::StmtKind::Untag:
        st.value = text(*s.value, "a tag");
        if (!st.value) continue;
        break;
      case ast::StmtKind::Let: {
        Expr v = CheckExpr(*s.value, scope);
        if (ctx.locals == nullptr) continue;
        st.target = int32_t(ctx.locals->size());
        ctx.locals->push_back({s.target.name, v.type});
        if (v.type.kind == TypeKind::Error) continue;
        st.value = std::move(v);
        break;
      }
      case ast::StmtKind::If: {
        Expr c = CheckCondition(s.value.get(), scope, "an `if` condition");
        st.body = CheckBlock(s.body, ctx);
        st.else_body = CheckBlock(s.else_body, ctx);
        st.has_else = s.has_else;
        if (c.type.kind == TypeKind::Error) continue;
        st.value = std::move(c);
        break;
      }
      case ast::StmtKind::Wait: {
        if (!flow_only(s, "wait")) continue;
        int64_t ms;
        if (!ConstantInt(s.value.get(), TypeKind::Duration, "wait", &ms)) continue;
        st.value = duration(ms);
        break;
      }
      case ast::StmtKind::WaitFor: {
        if (!flow_only(s, "wait for")) continue;
        st.event = Resolve(s.event, SymbolKind::Event, diag::Kind::UnknownEvent, "event");
        int64_t ms = 0;
        bool ok = ConstantInt(s.value.get(), TypeKind::Duration, "within", &ms);
        if (st.event < 0) continue;
        StmtContext inner = ctx;
        inner.event = st.event;
        if (s.where) {
          Scope where_scope = scope;
          where_scope.event = st.event;
          Expr w = CheckCondition(s.where.get(), where_scope, "the `where` condition");
          ok &= w.type.kind != TypeKind::Error;
          st.where = std::move(w);
        }
        st.body = CheckBlock(s.body, inner);
        StmtContext timeout = ctx;
        timeout.event = -1;
        st.else_body = CheckBlock(s.else_body, timeout);
        st.has_else = s.has_else;
        if (!ok) continue;
        st.value = duration(ms);
        break;
      }
      case ast::StmtKind::Split: {
        if (!flow_only(s, "split")) continue;
        for (const ast::Branch& b : s.branches) {
          Branch branch;
          branch.range = b.range;
          branch.share = b.share ? b.share->int_value : 0;
          branch.body = CheckBlock(b.body, ctx);
          st.branches.push_back(std::move(branch));
        }
        break;
      }
      case ast::StmtKind::ChooseBandit:
        if (!flow_only(s, "choose")) continue;
        if (!CheckBandit(s, st, scope, ctx)) continue;
        break;
      case ast::StmtKind::Exit:
        if (!flow_only(s, "exit")) continue;
        break;
    }
    out.push_back(std::move(st));
  }
  // Locals end with their block: hide them, keeping their slots unique.
  if (ctx.locals)
    for (size_t i = scope_start; i < ctx.locals->size(); ++i) (*ctx.locals)[i].first.clear();
  return out;
}

}  // namespace questline::sema
