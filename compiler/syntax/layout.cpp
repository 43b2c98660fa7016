// From parse tree to token layout (layout.h), for quest fmt. Each construct that asks for more than the
// default (one space, a line break only where the source had one) has a
// function below, named after its grammar rule and quoting it.
#include "compiler/syntax/layout.h"

#include "QuestlineLexer.h"
#include "QuestlineParser.h"
#include "antlr4-runtime.h"

namespace questline::syntax {

namespace {

using L = questline_antlr::QuestlineLexer;
using P = questline_antlr::QuestlineParser;

// The parser has already recursed this deep with larger frames (its nesting
// bound, ParseLimits, rejects deeper files first); the bound keeps the walk's
// own recursion explicit rather than trusted.
constexpr int kMaxTreeDepth = 20000;

// Line breaks in whitespace: LF, CRLF and a lone CR each end a line.
int CountNewlines(const std::string& s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ++n;
    else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) ++n;
  }
  return n;
}

size_t ParentRule(antlr4::tree::TerminalNode* node) {
  auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(node->parent);
  return parent ? parent->getRuleIndex() : SIZE_MAX;
}

class Layout {
 public:
  explicit Layout(std::vector<LayoutToken>& tokens, const std::vector<size_t>& slot_of)
      : tokens_(tokens), slot_of_(slot_of) {}

  bool Walk(antlr4::tree::ParseTree* node, int depth) {
    if (depth > kMaxTreeDepth) return false;
    if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(node)) {
      ShapeTerminal(terminal);
      return true;
    }
    auto* ctx = static_cast<antlr4::ParserRuleContext*>(node);
    MarkItem(ctx);
    for (antlr4::tree::ParseTree* child : ctx->children)
      if (!Walk(child, depth + 1)) return false;
    return true;
  }

 private:
  LayoutToken& At(antlr4::Token* token) { return tokens_[slot_of_[token->getTokenIndex()]]; }

  // The rules whose contexts are the items of a brace block (or of the file):
  //   decl, field, setting, ruleItem, levelItem, badgeItem, missionItem,
  //   competitionItem, happyHour, rankPrize, itemClause, minigameClause,
  //   raffleClause, flowItem, policyClause, sendField, splitBranch, banditArm, stmt
  // and the condition of `TASK name STRING? '{' expr stmt* '}'`. A prize's
  // statements (`rankPrize : INT (DOTDOT INT)? ':' stmt*`) share its line.
  void MarkItem(antlr4::ParserRuleContext* ctx) {
    const size_t rule = ctx->getRuleIndex();
    auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
    bool item = false;
    switch (rule) {
      case P::RuleDecl: case P::RuleField: case P::RuleSetting: case P::RuleRuleItem:
      case P::RuleLevelItem: case P::RuleBadgeItem: case P::RuleMissionItem:
      case P::RuleCompetitionItem: case P::RuleHappyHour: case P::RuleRankPrize:
      case P::RuleItemClause: case P::RuleMinigameClause: case P::RuleRaffleClause:
      case P::RuleFlowItem: case P::RulePolicyClause: case P::RuleSendField:
      case P::RuleSplitBranch: case P::RuleBanditArm:
        item = true;
        break;
      case P::RuleStmt:
        if (parent && parent->getRuleIndex() == P::RuleRankPrize) {
          At(ctx->getStart()).inline_item = true;
          return;
        }
        item = true;
        break;
      case P::RuleExpr:
        item = dynamic_cast<P::MissionTaskContext*>(parent) != nullptr;
        break;
      default:
        break;
    }
    if (item && ctx->getStart()) At(ctx->getStart()).item = true;
  }

  void ShapeTerminal(antlr4::tree::TerminalNode* node) {
    antlr4::Token* symbol = node->getSymbol();
    if (symbol->getType() == antlr4::Token::EOF) return;
    LayoutToken& t = At(symbol);
    const std::string& text = t.text;
    const size_t rule = ParentRule(node);
    if (text == "(") Paren(t, node);
    else if (text == ")" || text == "," || text == ";" || text == ":") Tight(t);
    else if (text == ".") Member(t);
    else if (text == "-") Minus(t, rule);
    else if (symbol->getType() == L::DOTDOT) Range(t, rule);
    else if (text == "{") t.join = true;
    else if (symbol->getType() == L::ELSE || symbol->getType() == L::TIMEOUT) AfterBlock(t, node);
  }

  // callPrimary : name '(' … ')' ; aggregatePrimary : aggregateFn '(' … ')' ;
  // fnDecl : FN ident '(' … ')' … — a call's parenthesis touches its name; a
  // grouping one (parenPrimary, `CONTEXT '('`) stands apart. Nothing follows
  // `(` with a space.
  static void Paren(LayoutToken& t, antlr4::tree::TerminalNode* node) {
    t.glue_after = true;
    auto* parent = node->parent;
    if (dynamic_cast<P::CallPrimaryContext*>(parent) || dynamic_cast<P::AggregatePrimaryContext*>(parent) ||
        dynamic_cast<P::FnDeclContext*>(parent)) {
      t.space_before = Space::None;
      t.join = true;
    }
  }

  // `)` `,` `;` `:` — never after a space, never first on a line.
  static void Tight(LayoutToken& t) {
    t.space_before = Space::None;
    t.join = true;
  }

  // postfixExpr : primary ('.' name)* — `bet.amount`, no spaces at all.
  static void Member(LayoutToken& t) {
    t.space_before = Space::None;
    t.join = true;
    t.glue_after = true;
  }

  // unaryExpr : '-' unaryExpr — `-x`;
  // happyHour : weekday TIME_OF_DAY '-' TIME_OF_DAY IDENT — `10:00-16:00`;
  // policyQuietHours : QUIET_HOURS TIME_OF_DAY '-' TIME_OF_DAY … — the same.
  // In addExpr the minus is binary and spaced like every operator.
  static void Minus(LayoutToken& t, size_t rule) {
    if (rule == P::RuleUnaryExpr) t.glue_after = true;
    if (rule == P::RuleHappyHour || rule == P::RulePolicyClause) {
      t.space_before = Space::None;
      t.join = true;
      t.glue_after = true;
    }
  }

  // rankPrize : INT (DOTDOT INT)? ':' stmt* — `2..5`, unlike the spaced
  // `2026-12-01T00:00Z .. 2026-12-31T23:59Z` of windows and active spans.
  static void Range(LayoutToken& t, size_t rule) {
    if (rule != P::RuleRankPrize) return;
    t.space_before = Space::None;
    t.join = true;
    t.glue_after = true;
  }

  // ifStmt : IF expr block (ELSE (ifTail | block))? ;
  // waitForStmt : … block (TIMEOUT block)? — `} else {`, `} timeout {`.
  // Elsewhere `else` and `timeout` are names and keep the default.
  static void AfterBlock(LayoutToken& t, antlr4::tree::TerminalNode* node) {
    auto* parent = node->parent;
    if (dynamic_cast<P::IfStmtContext*>(parent) || dynamic_cast<P::IfTailContext*>(parent) ||
        dynamic_cast<P::WaitForStmtContext*>(parent))
      t.join = true;
  }

  std::vector<LayoutToken>& tokens_;
  const std::vector<size_t>& slot_of_;
};

}  // namespace

bool LayOut(const std::string& text, std::vector<LayoutToken>* tokens, std::string* error) {
  antlr4::ANTLRInputStream input(text);
  L lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream stream(&lexer);
  stream.fill();

  // Every token but EOF gets a slot, comments included; the whitespace between
  // two of them gives the line breaks the source had there.
  std::vector<size_t> slot_of(stream.getTokens().size(), SIZE_MAX);
  std::vector<size_t> open_braces;
  size_t previous_stop = SIZE_MAX;
  tokens->clear();
  for (antlr4::Token* t : stream.getTokens()) {
    if (t->getType() == antlr4::Token::EOF) break;
    LayoutToken out;
    out.text = t->getText();
    out.kind = t->getType() == L::LINE_COMMENT    ? TokenKind::LineComment
               : t->getType() == L::BLOCK_COMMENT ? TokenKind::BlockComment
                                                  : TokenKind::Code;
    const size_t gap_begin = previous_stop == SIZE_MAX ? 0 : previous_stop + 1;
    if (t->getStartIndex() > gap_begin)
      out.newlines_before = CountNewlines(input.getText(antlr4::misc::Interval(gap_begin, t->getStartIndex() - 1)));
    previous_stop = t->getStopIndex();
    slot_of[t->getTokenIndex()] = tokens->size();
    tokens->push_back(std::move(out));
  }

  // Brace pairs: multi-line when any line break (between tokens or inside a
  // block comment) lies between them.
  std::vector<int> line(tokens->size());
  int current_line = 0;
  for (size_t i = 0; i < tokens->size(); ++i) {
    LayoutToken& t = (*tokens)[i];
    current_line += t.newlines_before;
    line[i] = current_line;
    if (t.kind == TokenKind::BlockComment) current_line += CountNewlines(t.text);
    if (t.kind != TokenKind::Code) continue;
    if (t.text == "{") {
      t.opens = true;
      open_braces.push_back(i);
    } else if (t.text == "}") {
      t.closes = true;
      if (open_braces.empty()) {
        *error = "unbalanced `}`";
        return false;
      }
      LayoutToken& open = (*tokens)[open_braces.back()];
      open.multiline = t.multiline = line[i] > line[open_braces.back()];
      open_braces.pop_back();
    }
  }

  stream.seek(0);
  P parser(&stream);
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::ModuleContext* tree = nullptr;
  try {
    tree = parser.module();
  } catch (const antlr4::ParseCancellationException&) {
    // The declarations parse one at a time in syntax/; as one module, SLL may
    // need the full LL prediction.
    stream.seek(0);
    parser.reset();
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    tree = parser.module();
  }
  if (tree == nullptr || parser.getNumberOfSyntaxErrors() > 0 || !open_braces.empty()) {
    *error = "the file does not parse as one module";
    return false;
  }
  Layout layout(*tokens, slot_of);
  if (!layout.Walk(tree, 0)) {
    *error = "the syntax tree nests deeper than " + std::to_string(kMaxTreeDepth) + " levels";
    return false;
  }
  return true;
}

bool TokenSequence(const std::string& text, std::vector<std::string>* sequence) {
  antlr4::ANTLRInputStream input(text);
  L lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream stream(&lexer);
  stream.fill();
  sequence->clear();
  for (antlr4::Token* t : stream.getTokens()) {
    if (t->getType() == antlr4::Token::EOF) break;
    if (t->getType() == L::BAD_CHAR || t->getType() == L::UNTERMINATED_STRING ||
        t->getType() == L::UNTERMINATED_COMMENT)
      return false;
    sequence->push_back(std::to_string(t->getType()) + " " + t->getText());
  }
  return true;
}

}  // namespace questline::syntax
