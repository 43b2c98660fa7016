// Expressions, by precedence level: or, and, not, comparison, additive,
// multiplicative, unary, postfix member access, primary.
#include "compiler/syntax/builder.h"
#include "compiler/syntax/literals.h"

namespace questline::syntax {
namespace {

ast::ExprPtr NewExpr(ast::ExprKind kind, diag::SourceRange range) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->range = range;
  return e;
}

diag::SourceRange Span(const diag::SourceRange& a, const diag::SourceRange& b) {
  diag::SourceRange r = a;
  r.end_line = b.end_line;
  r.end_col = b.end_col;
  return r;
}

}  // namespace

ast::ExprPtr Builder::MakeBinary(ast::BinaryOp op, ast::ExprPtr lhs, ast::ExprPtr rhs) {
  auto e = NewExpr(ast::ExprKind::Binary, Span(lhs->range, rhs->range));
  e->binary_op = op;
  e->operands.push_back(std::move(lhs));
  e->operands.push_back(std::move(rhs));
  return e;
}

// expr : orExpr
ast::ExprPtr Builder::BuildExpr(P::ExprContext* ctx) { return BuildOr(ctx->orExpr()); }

// orExpr : andExpr (OR andExpr)*
ast::ExprPtr Builder::BuildOr(P::OrExprContext* ctx) {
  auto parts = ctx->andExpr();
  ast::ExprPtr e = BuildAnd(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    e = MakeBinary(ast::BinaryOp::Or, std::move(e), BuildAnd(parts[i]));
  return e;
}

// andExpr : notExpr (AND notExpr)*
ast::ExprPtr Builder::BuildAnd(P::AndExprContext* ctx) {
  auto parts = ctx->notExpr();
  ast::ExprPtr e = BuildNot(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    e = MakeBinary(ast::BinaryOp::And, std::move(e), BuildNot(parts[i]));
  return e;
}

// notExpr : NOT notExpr | compareExpr
ast::ExprPtr Builder::BuildNot(P::NotExprContext* ctx) {
  if (ctx->compareExpr()) return BuildCompare(ctx->compareExpr());
  auto e = NewExpr(ast::ExprKind::Unary, Range(ctx));
  e->unary_op = ast::UnaryOp::Not;
  e->operands.push_back(BuildNot(ctx->notExpr()));
  return e;
}

// compareExpr : addExpr (compareOp addExpr)?
ast::ExprPtr Builder::BuildCompare(P::CompareExprContext* ctx) {
  auto parts = ctx->addExpr();
  ast::ExprPtr e = BuildAdd(parts[0]);
  if (parts.size() < 2) return e;
  const std::string op = ctx->compareOp()->getText();
  ast::BinaryOp bop = op == "==" ? ast::BinaryOp::Eq
                      : op == "!=" ? ast::BinaryOp::Ne
                      : op == "<"  ? ast::BinaryOp::Lt
                      : op == "<=" ? ast::BinaryOp::Le
                      : op == ">"  ? ast::BinaryOp::Gt
                                   : ast::BinaryOp::Ge;
  return MakeBinary(bop, std::move(e), BuildAdd(parts[1]));
}

// addExpr : mulExpr (('+' | '-') mulExpr)*
ast::ExprPtr Builder::BuildAdd(P::AddExprContext* ctx) {
  auto parts = ctx->mulExpr();
  ast::ExprPtr e = BuildMul(parts[0]);
  size_t next = 1;
  for (auto* child : ctx->children) {
    auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
    if (term == nullptr || next >= parts.size()) continue;
    ast::BinaryOp op = term->getText() == "+" ? ast::BinaryOp::Add : ast::BinaryOp::Sub;
    e = MakeBinary(op, std::move(e), BuildMul(parts[next++]));
  }
  return e;
}

// mulExpr : unaryExpr (('*' | '/') unaryExpr)*
ast::ExprPtr Builder::BuildMul(P::MulExprContext* ctx) {
  auto parts = ctx->unaryExpr();
  ast::ExprPtr e = BuildUnary(parts[0]);
  size_t next = 1;
  for (auto* child : ctx->children) {
    auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
    if (term == nullptr || next >= parts.size()) continue;
    ast::BinaryOp op = term->getText() == "*" ? ast::BinaryOp::Mul : ast::BinaryOp::Div;
    e = MakeBinary(op, std::move(e), BuildUnary(parts[next++]));
  }
  return e;
}

// unaryExpr : '-' unaryExpr | postfixExpr
ast::ExprPtr Builder::BuildUnary(P::UnaryExprContext* ctx) {
  if (ctx->postfixExpr()) return BuildPostfix(ctx->postfixExpr());
  auto e = NewExpr(ast::ExprKind::Unary, Range(ctx));
  e->unary_op = ast::UnaryOp::Neg;
  e->operands.push_back(BuildUnary(ctx->unaryExpr()));
  return e;
}

// postfixExpr : primary ('.' name)*
ast::ExprPtr Builder::BuildPostfix(P::PostfixExprContext* ctx) {
  ast::ExprPtr e = BuildPrimary(ctx->primary());
  for (auto* n : ctx->name()) {
    auto m = NewExpr(ast::ExprKind::Member, Span(e->range, Range(n)));
    m->text = n->getText();
    m->name_range = Range(n);
    m->operands.push_back(std::move(e));
    e = std::move(m);
  }
  return e;
}

// primary : literal | aggregateFn '(' expr (WHERE expr)? ')' (OVER window)?
//         | name '(' args ')' | '(' expr ')' | name
ast::ExprPtr Builder::BuildPrimary(P::PrimaryContext* ctx) {
  if (auto* x = dynamic_cast<P::LiteralPrimaryContext*>(ctx)) return BuildLiteral(x->literal());
  if (auto* x = dynamic_cast<P::ParenPrimaryContext*>(ctx)) {
    ast::ExprPtr inner = BuildExpr(x->expr());
    inner->range = Range(x);
    return inner;
  }
  if (auto* x = dynamic_cast<P::NamePrimaryContext*>(ctx)) {
    auto e = NewExpr(ast::ExprKind::Name, Range(x));
    e->text = x->name()->getText();
    e->name_range = e->range;
    return e;
  }
  if (auto* x = dynamic_cast<P::CallPrimaryContext*>(ctx)) {
    auto e = NewExpr(ast::ExprKind::Call, Range(x));
    e->text = x->name()->getText();
    e->name_range = Range(x->name());
    for (auto* a : x->expr()) e->operands.push_back(BuildExpr(a));
    return e;
  }
  auto* x = dynamic_cast<P::AggregatePrimaryContext*>(ctx);
  auto e = NewExpr(ast::ExprKind::Aggregate, Range(x));
  static const std::pair<size_t, ast::AggregateFn> kFns[] = {
      {P::COUNT, ast::AggregateFn::Count},       {P::SUM, ast::AggregateFn::Sum},
      {P::MIN, ast::AggregateFn::Min},           {P::MAX, ast::AggregateFn::Max},
      {P::AVG, ast::AggregateFn::Avg},           {P::FIRST, ast::AggregateFn::First},
      {P::LAST, ast::AggregateFn::Last},         {P::TOP, ast::AggregateFn::Top},
      {P::DISTINCT_DAYS, ast::AggregateFn::DistinctDays},
      {P::STREAK_DAYS, ast::AggregateFn::StreakDays},
      {P::STREAK_WEEKS, ast::AggregateFn::StreakWeeks}};
  size_t token = x->aggregateFn()->getStart()->getType();
  for (auto& [t, fn] : kFns)
    if (t == token) e->aggregate = fn;
  e->text = x->aggregateFn()->getText();
  e->name_range = Range(x->aggregateFn());
  auto args = x->expr();
  e->operands.push_back(BuildExpr(args[0]));
  if (args.size() > 1) e->filter = BuildExpr(args[1]);
  if (auto* w = x->window()) {
    e->window.range = Range(w);
    if (w->LAST()) {
      e->window.kind = ast::WindowKind::Last;
      e->window.length = BuildUnary(w->unaryExpr());
    } else if (w->TODAY()) {
      e->window.kind = ast::WindowKind::Today;
    } else if (w->WEEK()) {
      e->window.kind = ast::WindowKind::ThisWeek;
    } else {
      e->window.kind = ast::WindowKind::ThisMonth;
    }
  }
  return e;
}

std::string Builder::DecodeStringToken(antlr4::tree::TerminalNode* node) {
  std::string text = node->getText(), value, why;
  size_t at = 0;
  if (!DecodeString(text, &value, &why, &at)) {
    diag::SourceRange r = Range(node);
    for (size_t i = 0; i < at && i < text.size(); ++i)   // `at` is a byte offset; columns count characters
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++r.col;
    r.end_line = r.line;
    r.end_col = r.col + 2;
    Error(diag::Kind::InvalidEscape, r, "invalid escape sequence in string", why);
  }
  return value;
}

// literal : TRUE | FALSE | INT | DECIMAL | STRING | DURATION | PERCENT
//         | TIME_OF_DAY | INSTANT | weekday
ast::ExprPtr Builder::BuildLiteral(P::LiteralContext* ctx) {
  diag::SourceRange range = Range(ctx);
  const std::string text = ctx->getText();
  std::string why;
  auto e = NewExpr(ast::ExprKind::Int, range);
  auto decode = [&](ast::ExprKind kind, bool ok, const char* what) {
    e->kind = kind;
    if (!ok) Error(diag::Kind::InvalidLiteral, range, std::string("invalid ") + what + " `" + text + "`", why);
  };
  if (ctx->TRUE() || ctx->FALSE()) {
    e->kind = ast::ExprKind::Bool;
    e->bool_value = ctx->TRUE() != nullptr;
  } else if (ctx->INT()) {
    decode(ast::ExprKind::Int, DecodeInt(text, &e->int_value, &why), "integer");
  } else if (ctx->DECIMAL()) {
    decode(ast::ExprKind::Decimal, DecodeDecimal(text, &e->int_value, &why), "decimal");
  } else if (ctx->STRING()) {
    e->kind = ast::ExprKind::String;
    e->text = DecodeStringToken(ctx->STRING());
  } else if (ctx->DURATION()) {
    decode(ast::ExprKind::Duration, DecodeDuration(text, &e->int_value, &why), "duration");
  } else if (ctx->PERCENT()) {
    decode(ast::ExprKind::Percent, DecodePercent(text, &e->int_value, &why), "percentage");
  } else if (ctx->TIME_OF_DAY()) {
    decode(ast::ExprKind::TimeOfDay, DecodeTimeOfDay(text, &e->int_value, &why), "time of day");
  } else if (ctx->INSTANT()) {
    decode(ast::ExprKind::Instant, DecodeInstant(text, &e->int_value, &why), "instant");
  } else {
    e->kind = ast::ExprKind::Weekday;
    e->int_value = WeekdayIndex(text);
  }
  return e;
}

}  // namespace questline::syntax
