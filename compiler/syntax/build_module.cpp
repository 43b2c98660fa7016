// module : decl* EOF — dispatch to one builder per declaration kind, plus the
// location helpers every builder uses.
#include <algorithm>

#include "compiler/syntax/builder.h"

namespace questline::syntax {

diag::SourceRange Builder::ByteRange(size_t begin, size_t end) const {
  const diag::SourceFile& f = sources_.File(file_);
  auto locate = [&](size_t offset, uint32_t* line, uint32_t* col) {
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), uint32_t(offset));
    size_t index = size_t(it - f.line_starts.begin()) - 1;
    *line = uint32_t(index + 1);
    *col = sources_.Column(file_, *line, offset);
  };
  diag::SourceRange r;
  r.file = file_;
  locate(begin, &r.line, &r.col);
  locate(std::max(begin, end), &r.end_line, &r.end_col);
  return r;
}

diag::SourceRange Builder::Range(antlr4::Token* first, antlr4::Token* last) const {
  if (first == nullptr) return {};
  if (last == nullptr || last->getType() == antlr4::Token::EOF ||
      last->getStopIndex() < first->getStartIndex())
    last = first;
  auto byte_at = [&](size_t cp) {
    return cp < cp_to_byte_.size() ? cp_to_byte_[cp] : cp_to_byte_.back();
  };
  if (first->getType() == antlr4::Token::EOF) {
    size_t at = byte_at(first->getStartIndex());
    return ByteRange(at, at);
  }
  return ByteRange(byte_at(first->getStartIndex()), byte_at(last->getStopIndex() + 1));
}

diag::SourceRange Builder::Range(antlr4::Token* token) const { return Range(token, token); }

diag::SourceRange Builder::Range(antlr4::ParserRuleContext* ctx) const {
  return ctx ? Range(ctx->getStart(), ctx->getStop()) : diag::SourceRange{};
}

diag::SourceRange Builder::Range(antlr4::tree::TerminalNode* node) const {
  return node ? Range(node->getSymbol()) : diag::SourceRange{};
}

ast::Ident Builder::MakeIdent(antlr4::tree::TerminalNode* node) const {
  if (node == nullptr) return {};
  return {node->getText(), Range(node)};
}

ast::Ident Builder::MakeIdent(P::NameContext* ctx) const {
  if (ctx == nullptr) return {};
  return {ctx->getText(), Range(ctx)};
}

ast::Ident Builder::MakeIdent(P::IdentContext* ctx) const {
  if (ctx == nullptr) return {};
  return {ctx->getText(), Range(ctx)};
}

void Builder::Error(diag::Kind kind, diag::SourceRange range, std::string message,
                    std::string hint) {
  diag::Diagnostic& d = sink_.Report(kind, range, std::move(message));
  if (!hint.empty()) d.hints.push_back(std::move(hint));
}

bool Builder::FirstClause(bool already, antlr4::ParserRuleContext* ctx, const char* clause) {
  if (!already) return true;
  Error(diag::Kind::DuplicateClause, Range(ctx),
        std::string("`") + clause + "` is given more than once",
        "keep one; the later clause would silently win otherwise");
  return false;
}

// A subtree is damaged when the parser recovered inside it: a context with a
// recorded exception or a missing/extraneous-token error node. The walk uses an
// explicit stack, so a deep tree cannot overflow the C++ stack.
bool Builder::HasSyntaxError(antlr4::ParserRuleContext* ctx) const {
  if (ctx->getStart() == nullptr) return true;
  std::vector<antlr4::tree::ParseTree*> pending{ctx};
  while (!pending.empty()) {
    antlr4::tree::ParseTree* node = pending.back();
    pending.pop_back();
    if (dynamic_cast<antlr4::tree::ErrorNode*>(node)) return true;
    if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(node)) {
      if (rule->exception != nullptr) return true;
      for (auto* child : rule->children) pending.push_back(child);
    }
  }
  return false;
}

// decl : typeDecl | eventDecl | … | ';'
void Builder::BuildDecls(P::ModuleContext* ctx, ast::Module& module) {
  for (P::DeclContext* d : ctx->decl()) {
    // A declaration the parser could not recover has missing children; skip it
    // rather than report follow-on errors about a half-built node.
    if (d->exception != nullptr || HasSyntaxError(d)) continue;
    if (auto* x = d->typeDecl()) module.decls.push_back(BuildTypeDecl(x));
    else if (auto* x = d->eventDecl())
      module.decls.push_back(BuildEventDecl(x->fieldBlock(), x->ident(), false, x));
    else if (auto* x = d->extendEventDecl())
      module.decls.push_back(BuildEventDecl(x->fieldBlock(), x->ident(), true, x));
    else if (auto* x = d->profileDecl())
      module.decls.push_back(BuildProfileDecl(x->fieldBlock(), false, x));
    else if (auto* x = d->extendProfileDecl())
      module.decls.push_back(BuildProfileDecl(x->fieldBlock(), true, x));
    else if (auto* x = d->currencyDecl())
      module.decls.push_back(ast::CurrencyDecl{MakeIdent(x->ident()), Range(x)});
    else if (auto* x = d->settingsDecl()) module.decls.push_back(BuildSettings(x));
    else if (auto* x = d->constDecl()) module.decls.push_back(BuildConst(x));
    else if (auto* x = d->fnDecl()) module.decls.push_back(BuildFn(x));
    else if (auto* x = d->metricDecl()) module.decls.push_back(BuildMetric(x));
    else if (auto* x = d->segmentDecl()) module.decls.push_back(BuildSegment(x));
    else if (auto* x = d->ruleDecl()) module.decls.push_back(BuildRule(x));
    else if (auto* x = d->levelDecl()) module.decls.push_back(BuildLevel(x));
    else if (auto* x = d->badgeDecl()) module.decls.push_back(BuildBadge(x));
    else if (auto* x = d->missionDecl()) module.decls.push_back(BuildMission(x));
    else if (auto* x = d->leaderboardDecl())
      module.decls.push_back(BuildCompetition(ast::CompetitionKind::Leaderboard, x->ident(),
                                              x->competitionItem(), x));
    else if (auto* x = d->tournamentDecl())
      module.decls.push_back(BuildCompetition(ast::CompetitionKind::Tournament, x->ident(),
                                              x->competitionItem(), x));
    else if (auto* x = d->itemDecl()) module.decls.push_back(BuildItem(x));
    else if (auto* x = d->minigameDecl()) module.decls.push_back(BuildMinigame(x));
    else if (auto* x = d->raffleDecl()) module.decls.push_back(BuildRaffle(x));
    else if (auto* x = d->flowDecl()) module.decls.push_back(BuildFlow(x));
    else if (auto* x = d->policyDecl()) module.decls.push_back(BuildPolicy(x));
  }
}

}  // namespace questline::syntax
