// Statements: the effects shared by rules, on-blocks, rewards and flows, plus
// the flow-only steps (wait, wait for, split, choose, exit). Placement rules
// (e.g. `wait` only in flows) are sema's: the grammar accepts them anywhere.
#include "compiler/syntax/builder.h"
#include "compiler/syntax/literals.h"

namespace questline::syntax {

// block : '{' stmt* '}'
ast::Block Builder::BuildBlock(P::BlockContext* ctx) {
  if (ctx == nullptr) return {};
  return BuildStmts(ctx->stmt());
}

ast::Block Builder::BuildStmts(const std::vector<P::StmtContext*>& stmts) {
  ast::Block block;
  for (auto* s : stmts) {
    ast::Stmt stmt;
    if (BuildStmt(s, &stmt)) block.push_back(std::move(stmt));
  }
  return block;
}

namespace {

// ifTail : IF expr block (ELSE (ifTail | block))?  — an `else if` chain becomes
// nested If statements, each the sole statement of its parent's else branch.
template <typename Ctx>
void BuildIf(Builder& b, Ctx* ctx, ast::Stmt* out) {
  out->kind = ast::StmtKind::If;
  out->range = b.Range(ctx);
  out->value = b.BuildExpr(ctx->expr());
  auto blocks = ctx->block();
  out->body = b.BuildBlock(blocks[0]);
  if (ctx->ELSE() == nullptr) return;
  out->has_else = true;
  if (auto* tail = ctx->ifTail()) {
    ast::Stmt nested;
    BuildIf(b, tail, &nested);
    out->else_body.push_back(std::move(nested));
  } else if (blocks.size() > 1) {
    out->else_body = b.BuildBlock(blocks[1]);
  }
}

}  // namespace

// stmt : AWARD ident expr | DEDUCT ident expr | GRANT BONUS expr | SEND ident expr sendData?
//      | UNLOCK MISSION ident | GIVE MISSION ident | GIVE ATTEMPTS ident expr
//      | GIVE TICKETS ident expr | TAG expr | UNTAG expr | LET ident '=' expr
//      | IF … | WAIT FOR … | WAIT expr | SPLIT … | CHOOSE BY BANDIT … | EXIT | ';'
bool Builder::BuildStmt(P::StmtContext* ctx, ast::Stmt* out) {
  out->range = Range(ctx);
  if (auto* x = dynamic_cast<P::AwardStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Award;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::DeductStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Deduct;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::GrantStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::GrantBonus;
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::SendStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Send;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
    if (auto* data = x->sendData())
      for (auto* f : data->sendField())
        out->data.push_back({MakeIdent(f->name()), BuildExpr(f->expr())});
  } else if (auto* x = dynamic_cast<P::UnlockStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::UnlockMission;
    out->target = MakeIdent(x->ident());
  } else if (auto* x = dynamic_cast<P::GiveMissionStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::GiveMission;
    out->target = MakeIdent(x->ident());
  } else if (auto* x = dynamic_cast<P::GiveAttemptsStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::GiveAttempts;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::GiveTicketsStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::GiveTickets;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::TagStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Tag;
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::UntagStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Untag;
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::LetStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Let;
    out->target = MakeIdent(x->ident());
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::IfStmtContext*>(ctx)) {
    BuildIf(*this, x, out);
  } else if (auto* x = dynamic_cast<P::WaitForStmtContext*>(ctx)) {
    // WAIT FOR ident (WHERE expr)? WITHIN expr block (TIMEOUT block)?
    out->kind = ast::StmtKind::WaitFor;
    out->event = MakeIdent(x->ident());
    auto exprs = x->expr();
    if (x->WHERE()) out->where = BuildExpr(exprs[0]);
    out->value = BuildExpr(exprs.back());
    auto blocks = x->block();
    out->body = BuildBlock(blocks[0]);
    if (x->TIMEOUT()) {
      out->has_else = true;
      out->else_body = BuildBlock(blocks[1]);
    }
  } else if (auto* x = dynamic_cast<P::WaitStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Wait;
    out->value = BuildExpr(x->expr());
  } else if (auto* x = dynamic_cast<P::SplitStmtContext*>(ctx)) {
    // SPLIT '{' (PERCENT ':' block)* '}'
    out->kind = ast::StmtKind::Split;
    for (auto* br : x->splitBranch()) {
      ast::Branch branch;
      branch.range = Range(br);
      auto share = std::make_unique<ast::Expr>();
      share->kind = ast::ExprKind::Percent;
      share->range = Range(br->PERCENT());
      std::string why;
      if (!DecodePercent(br->PERCENT()->getText(), &share->int_value, &why))
        Error(diag::Kind::InvalidLiteral, share->range, "invalid percentage", why);
      branch.share = std::move(share);
      branch.body = BuildBlock(br->block());
      out->branches.push_back(std::move(branch));
    }
  } else if (auto* x = dynamic_cast<P::ChooseStmtContext*>(ctx)) {
    // CHOOSE BY BANDIT REWARD ident (WHERE expr)? WITHIN expr (CONTEXT '(' exprs ')')?
    //   (POLICY ident ('(' expr ')')?)? '{' banditArm* '}'
    out->kind = ast::StmtKind::ChooseBandit;
    out->event = MakeIdent(x->ident(0));
    if (x->rewardWhere) out->where = BuildExpr(x->rewardWhere);
    out->value = BuildExpr(x->within);
    for (auto* feature : x->features) out->context.push_back(BuildExpr(feature));
    if (x->policyName) out->policy = MakeIdent(x->policyName);
    if (x->policyParam) out->policy_param = BuildExpr(x->policyParam);
    for (auto* arm : x->banditArm()) {
      ast::Branch branch;
      branch.name = MakeIdent(arm->ident());
      branch.range = Range(arm);
      branch.body = BuildBlock(arm->block());
      out->branches.push_back(std::move(branch));
    }
  } else if (dynamic_cast<P::ExitStmtContext*>(ctx)) {
    out->kind = ast::StmtKind::Exit;
  } else {
    return false;  // `;`
  }
  return true;
}

}  // namespace questline::syntax
