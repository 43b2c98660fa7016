#include "compiler/syntax/nesting.h"

#include "QuestlineLexer.h"

namespace questline::syntax {

antlr4::Token* FindTooDeep(const std::vector<antlr4::Token*>& tokens, int limit) {
  using L = questline_antlr::QuestlineLexer;
  int brackets = 0;
  int prefix_run = 0;   // `not not - - x` recurses like brackets do
  bool after_operand = false;
  for (antlr4::Token* t : tokens) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    const std::string text = t->getText();
    const size_t type = t->getType();
    if (text == "(" || text == "{" || text == "[") {
      ++brackets;
      prefix_run = 0;
      after_operand = false;
    } else if (text == ")" || text == "}" || text == "]") {
      if (brackets > 0) --brackets;
      prefix_run = 0;
      after_operand = true;
    } else if (type == L::NOT || (text == "-" && !after_operand)) {
      ++prefix_run;
      after_operand = false;
    } else {
      prefix_run = 0;
      after_operand = type == L::IDENT || type == L::INT || type == L::DECIMAL ||
                      type == L::STRING || type == L::DURATION || type == L::PERCENT ||
                      type == L::TIME_OF_DAY || type == L::INSTANT;
    }
    if (brackets + prefix_run > limit) return t;
  }
  return nullptr;
}

}  // namespace questline::syntax
