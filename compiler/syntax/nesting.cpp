#include "compiler/syntax/nesting.h"

#include <vector>

#include "QuestlineLexer.h"

namespace questline::syntax {

namespace {

// The depth a chain adds at one bracket level. Each precedence class loops in
// the parser but builds a left-deep tree; a lower class restarts the higher
// ones (`a + b and c + d` is an `and` of two short sums), so the depth is the
// sum of the current run of each class.
struct Level {
  int ors = 0, ands = 0, adds = 0, muls = 0, dots = 0;
  int else_ifs = 0;   // `else if` links of the if-chain at this level
  int Depth() const { return ors + ands + adds + muls + dots + else_ifs; }
  void EndExpression() { ors = ands = adds = muls = dots = 0; }
};

}  // namespace

antlr4::Token* FindTooDeep(const std::vector<antlr4::Token*>& tokens, int limit, int chain_limit,
                           TooDeepKind* kind) {
  using L = questline_antlr::QuestlineLexer;
  int brackets = 0;
  int prefix_run = 0;   // `not not - - x` recurses like brackets do
  bool after_operand = false;
  bool after_else = false;
  std::vector<Level> levels(1);
  int outer = 0;        // the depth of every level but the innermost
  auto push = [&] {
    outer += levels.back().Depth();
    levels.emplace_back();
  };
  for (antlr4::Token* t : tokens) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    const std::string text = t->getText();
    const size_t type = t->getType();
    Level& level = levels.back();
    if (text == "(" || text == "[") {
      ++brackets;
      push();
      prefix_run = 0;
      after_operand = false;
    } else if (text == "{") {
      level.EndExpression();   // an expression before a block ends at it
      ++brackets;
      push();
      prefix_run = 0;
      after_operand = false;
    } else if (text == ")" || text == "}" || text == "]") {
      if (brackets > 0) {
        --brackets;
        levels.pop_back();
        outer -= levels.back().Depth();
      }
      prefix_run = 0;
      after_operand = true;
    } else if (after_operand && (type == L::AND || type == L::OR || text == "+" || text == "-" || text == "*" ||
                                 text == "/" || text == "." || text == "==" || text == "!=" || text == "<" ||
                                 text == "<=" || text == ">" || text == ">=")) {
      if (type == L::OR) ++level.ors, level.ands = level.adds = level.muls = level.dots = 0;
      else if (type == L::AND) ++level.ands, level.adds = level.muls = level.dots = 0;
      else if (text == "+" || text == "-") ++level.adds, level.muls = level.dots = 0;
      else if (text == "*" || text == "/") ++level.muls, level.dots = 0;
      else if (text == ".") ++level.dots;
      else level.adds = level.muls = level.dots = 0;   // a comparison: one, not a chain
      prefix_run = 0;
      after_operand = false;
    } else if (type == L::NOT || (text == "-" && !after_operand)) {
      ++prefix_run;
      after_operand = false;
    } else if (type == L::IF) {
      // `else if`: the next `if` nests in the else branch (the parser
      // recurses too); a plain `if` starts a new chain.
      if (after_else) ++level.else_ifs;
      else level.else_ifs = 0;
      level.EndExpression();
      prefix_run = 0;
      after_operand = false;
    } else {
      // Two operands in a row (`… + 1 fn f2 …`, `… award points 2 award …`)
      // or a comma: the expression ended; the next one starts its own chains.
      if (after_operand || text == ",") level.EndExpression();
      prefix_run = 0;
      after_operand = type == L::IDENT || type == L::INT || type == L::DECIMAL ||
                      type == L::STRING || type == L::DURATION || type == L::PERCENT ||
                      type == L::TIME_OF_DAY || type == L::INSTANT || type == L::TRUE || type == L::FALSE;
    }
    after_else = type == L::ELSE;
    if (brackets + prefix_run > limit) {
      *kind = TooDeepKind::Nesting;
      return t;
    }
    if (brackets + prefix_run + outer + levels.back().Depth() > chain_limit) {
      *kind = TooDeepKind::Chain;
      return t;
    }
  }
  return nullptr;
}

}  // namespace questline::syntax
