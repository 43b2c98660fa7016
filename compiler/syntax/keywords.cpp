// The reserved/contextual split of the keywords. The grammar's `ident` rule
// lists the contextual ones; tests/syntax/keywords_test.cpp checks that the two
// lists agree, so a keyword added to one and not the other fails a test.
#include "compiler/syntax/keywords.h"

#include <algorithm>
#include <cctype>

#include "QuestlineLexer.h"

namespace questline::syntax {
namespace {

using L = questline_antlr::QuestlineLexer;

const size_t kDeclarationWords[] = {
    L::TYPE, L::EVENT, L::EXTEND, L::PROFILE, L::CURRENCY, L::SETTINGS, L::CONST,
    L::FN, L::METRIC, L::SEGMENT, L::RULE, L::LEVEL, L::BADGE, L::MISSION,
    L::LEADERBOARD, L::TOURNAMENT, L::ITEM, L::MINIGAME, L::RAFFLE, L::FLOW, L::POLICY};
const size_t kLiteralWords[] = {L::TRUE, L::FALSE, L::MON, L::TUE, L::WED, L::THU,
                                L::FRI,  L::SAT,   L::SUN};
const size_t kOperatorWords[] = {L::AND, L::OR, L::NOT};

template <size_t N>
bool In(const size_t (&set)[N], size_t type) {
  return std::find(std::begin(set), std::end(set), type) != std::end(set);
}

// The lexer's literal spelling of a token type without quotes ("type"), or ""
// for a token that is not a fixed word (IDENT, INT, '{', ...).
std::string WordOf(size_t type) {
  static const antlr4::dfa::Vocabulary& vocabulary = [] () -> const antlr4::dfa::Vocabulary& {
    static antlr4::ANTLRInputStream empty("");
    static L lexer(&empty);
    return lexer.getVocabulary();
  }();
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() < 3 || literal.front() != '\'') return "";
  literal = literal.substr(1, literal.size() - 2);
  for (char c : literal)
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') return "";
  return literal;
}

bool IsKeyword(size_t type) { return !WordOf(type).empty(); }

std::vector<std::string> Words(bool reserved) {
  std::vector<std::string> words;
  for (size_t type = 1; type <= L::IDENT; ++type)
    if (IsKeyword(type) && IsReservedKeyword(type) == reserved) words.push_back(WordOf(type));
  return words;
}

}  // namespace

bool IsReservedKeyword(size_t type) {
  return In(kDeclarationWords, type) || In(kLiteralWords, type) || In(kOperatorWords, type);
}

bool IsContextualKeyword(size_t type) { return IsKeyword(type) && !IsReservedKeyword(type); }

std::string WhyReserved(size_t type) {
  if (In(kDeclarationWords, type)) return "it starts a declaration";
  if (In(kOperatorWords, type)) return "it is an operator";
  if (type == L::TRUE || type == L::FALSE) return "it is a boolean literal";
  if (In(kLiteralWords, type)) return "it is a weekday literal";
  return "";
}

std::vector<std::string> ReservedWords() { return Words(true); }
std::vector<std::string> ContextualWords() { return Words(false); }

std::vector<std::string> FixedTokens() {
  static antlr4::ANTLRInputStream empty("");
  static L lexer(&empty);
  const antlr4::dfa::Vocabulary& vocabulary = lexer.getVocabulary();
  std::vector<std::string> tokens;
  for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
    std::string literal = vocabulary.getLiteralName(type);
    if (literal.size() >= 3 && literal.front() == '\'' && literal.back() == '\'')
      tokens.push_back(literal.substr(1, literal.size() - 2));
  }
  return tokens;
}

}  // namespace questline::syntax
