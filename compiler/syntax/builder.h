// The adapter from ANTLR parse trees to ast::Module. Internal to syntax/: this
// and the generated parser are the only places that see ANTLR types.
#pragma once

#include <string>
#include <vector>

#include "QuestlineParser.h"
#include "compiler/diag/diagnostics.h"
#include "compiler/syntax/ast.h"

namespace questline::syntax {

namespace gen = questline_antlr;
using P = gen::QuestlineParser;

class Builder {
 public:
  Builder(diag::FileId file, const diag::SourceManager& sources,
          const std::vector<uint32_t>& cp_to_byte, diag::DiagnosticSink& sink)
      : file_(file), sources_(sources), cp_to_byte_(cp_to_byte), sink_(sink) {}

  // module : decl* EOF — appends the declarations of one parsed chunk.
  void BuildDecls(P::ModuleContext* ctx, ast::Module& module);

  // A declaration the parser had to repair is dropped whole, so later phases
  // never see half-built nodes and the user sees one error per mistake.
  bool HasSyntaxError(antlr4::ParserRuleContext* ctx) const;

  // ---- locations (build_module.cpp)
  diag::SourceRange Range(antlr4::ParserRuleContext* ctx) const;
  diag::SourceRange Range(antlr4::tree::TerminalNode* node) const;
  diag::SourceRange Range(antlr4::Token* token) const;
  diag::SourceRange Range(antlr4::Token* first, antlr4::Token* last) const;
  diag::SourceRange ByteRange(size_t begin, size_t end) const;
  ast::Ident MakeIdent(antlr4::tree::TerminalNode* node) const;
  ast::Ident MakeIdent(P::NameContext* ctx) const;
  ast::Ident MakeIdent(P::IdentContext* ctx) const;
  void Error(diag::Kind kind, diag::SourceRange range, std::string message,
             std::string hint = {});
  // Reports Q0110 when a clause that may appear once appears again.
  bool FirstClause(bool already, antlr4::ParserRuleContext* ctx, const char* clause);

  // ---- schema (build_schema.cpp)
  ast::Decl BuildTypeDecl(P::TypeDeclContext* ctx);
  ast::Decl BuildEventDecl(P::FieldBlockContext* block, P::IdentContext* name,
                           bool extends, antlr4::ParserRuleContext* whole);
  ast::Decl BuildProfileDecl(P::FieldBlockContext* block, bool extends,
                             antlr4::ParserRuleContext* whole);
  ast::Decl BuildSettings(P::SettingsDeclContext* ctx);
  ast::Decl BuildConst(P::ConstDeclContext* ctx);
  ast::Decl BuildFn(P::FnDeclContext* ctx);
  ast::TypeRef BuildTypeRef(P::TypeRefContext* ctx);

  // ---- rules, levels, badges, metrics, segments (build_behaviour.cpp)
  ast::Decl BuildMetric(P::MetricDeclContext* ctx);
  ast::Decl BuildSegment(P::SegmentDeclContext* ctx);
  ast::Decl BuildRule(P::RuleDeclContext* ctx);
  ast::Decl BuildLevel(P::LevelDeclContext* ctx);
  ast::Decl BuildBadge(P::BadgeDeclContext* ctx);
  ast::Decl BuildMission(P::MissionDeclContext* ctx);
  ast::Period BuildPeriod(P::PeriodContext* ctx) const;

  // ---- competitions, store, mini-games, raffles (build_mechanics.cpp)
  ast::Decl BuildCompetition(ast::CompetitionKind kind, P::IdentContext* name,
                             const std::vector<P::CompetitionItemContext*>& items,
                             antlr4::ParserRuleContext* whole);
  ast::Decl BuildItem(P::ItemDeclContext* ctx);
  ast::Decl BuildMinigame(P::MinigameDeclContext* ctx);
  ast::Decl BuildRaffle(P::RaffleDeclContext* ctx);
  int MinuteOf(antlr4::tree::TerminalNode* time_of_day);
  int WeekdayOf(P::WeekdayContext* ctx) const;

  // ---- flows, policies (build_flows.cpp)
  ast::Decl BuildFlow(P::FlowDeclContext* ctx);
  ast::Decl BuildPolicy(P::PolicyDeclContext* ctx);

  // ---- statements (build_stmt.cpp)
  ast::Block BuildBlock(P::BlockContext* ctx);
  ast::Block BuildStmts(const std::vector<P::StmtContext*>& stmts);
  // Returns false for the empty statement `;`.
  bool BuildStmt(P::StmtContext* ctx, ast::Stmt* out);

  // ---- expressions (build_expr.cpp)
  ast::ExprPtr BuildExpr(P::ExprContext* ctx);
  std::string DecodeStringToken(antlr4::tree::TerminalNode* node);

 private:
  ast::ExprPtr BuildOr(P::OrExprContext* ctx);
  ast::ExprPtr BuildAnd(P::AndExprContext* ctx);
  ast::ExprPtr BuildNot(P::NotExprContext* ctx);
  ast::ExprPtr BuildCompare(P::CompareExprContext* ctx);
  ast::ExprPtr BuildAdd(P::AddExprContext* ctx);
  ast::ExprPtr BuildMul(P::MulExprContext* ctx);
  ast::ExprPtr BuildUnary(P::UnaryExprContext* ctx);
  ast::ExprPtr BuildPostfix(P::PostfixExprContext* ctx);
  ast::ExprPtr BuildPrimary(P::PrimaryContext* ctx);
  ast::ExprPtr BuildLiteral(P::LiteralContext* ctx);
  ast::ExprPtr MakeBinary(ast::BinaryOp op, ast::ExprPtr lhs, ast::ExprPtr rhs);

  diag::FileId file_;
  const diag::SourceManager& sources_;
  const std::vector<uint32_t>& cp_to_byte_;
  diag::DiagnosticSink& sink_;
};

}  // namespace questline::syntax
