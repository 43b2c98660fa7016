#include "compiler/syntax/error_listener.h"

#include <algorithm>
#include <map>

#include "compiler/syntax/keywords.h"

namespace questline::syntax {
namespace {

// What a keyword must be followed by, in the words a CRM engineer would use.
const std::map<std::string, std::string>& FollowerPhrases() {
  static const std::map<std::string, std::string> phrases = {
      {"time_limit", "a duration such as `7d`"},
      {"within", "a duration such as `3d`"},
      {"after", "a duration such as `30d` or `mission NAME`"},
      {"wait", "a duration such as `1d` or `for EVENT`"},
      {"last", "a duration such as `30d`"},
      {"over", "a window: `last 30d`, `today`, `this week` or `this month`"},
      {"active", "an instant such as `2026-12-01T00:00Z`"},
      {"window", "an instant such as `2026-12-05T00:00Z` or `every week …`"},
      {"at", "a value such as `1_000`, an instant or a time of day"},
      {"price", "a price such as `500 points`"},
      {"cap", "an amount and currency such as `5000 points`"},
      {"limit", "a count such as `1`"},
      {"holdout", "a percentage such as `10%`"},
      {"recurring", "`daily`, `weekly`, `monthly` or `on_completion`"},
      {"per", "`day`, `week` or `month`"},
      {"period", "`daily`, `weekly` or `monthly`"},
      {"award", "a currency such as `points`"},
      {"deduct", "a currency such as `points`"},
      {"grant", "`bonus`"},
      {"bonus", "a bonus code such as `\"fs_20\"`"},
      {"send", "a channel: `inbox`, `popup`, `push`, `email`, `sms` or `webhook`"},
      {"kind", "`wheel`, `scratch` or `ballanza`"},
      {"every", "`day`, `week` or a weekday"},
      {"quiet_hours", "a time range such as `22:00-08:00`"},
      {"where", "a condition"},
      {"when", "a condition"},
      {"audience", "a condition or segment"},
      {"unlock", "`on EVENT`, `after mission NAME` or `at level NAME`"},
      {"on", "an event name, `enter SEGMENT`, `exit SEGMENT`, `reach`, `earn` or `purchase`"},
      {"rule", "a rule name"},
      {"mission", "a mission name"},
      {"event", "an event name"},
      {"type", "a type name"},
      {"task", "a task name"},
      {"score", "an aggregate such as `sum(bet.amount)` or `points_earned`"},
      {"=", "an expression"},
      {"==", "an expression"},
      {"!=", "an expression"},
      {"<", "an expression"},
      {">", "an expression"},
      {"<=", "an expression"},
      {">=", "an expression"},
      {"+", "an expression"},
      {"-", "an expression"},
      {"*", "an expression"},
      {"/", "an expression"},
      {"and", "an expression"},
      {"or", "an expression"},
      {"not", "an expression"},
  };
  return phrases;
}

std::string TokenWords(antlr4::Token* t) {
  if (t->getType() == antlr4::Token::EOF) return "the end of the declaration";
  std::string text = t->getText();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return "`" + text + "`";
}

// A short description of an expected-token set, or "" when it is too broad to help.
std::string DescribeExpected(antlr4::Parser* parser, const antlr4::misc::IntervalSet& set) {
  const antlr4::dfa::Vocabulary& vocab = parser->getVocabulary();
  using P = gen::QuestlineParser;
  auto has = [&](size_t type) { return set.contains(static_cast<size_t>(type)); };
  if (has(P::INT) && has(P::STRING) && has(P::IDENT)) return "an expression";
  if (has(P::IDENT) && set.size() > 8) return "a name";
  std::vector<std::string> words;
  for (ssize_t type : set.toList()) {
    if (type == static_cast<ssize_t>(antlr4::Token::EOF)) { words.push_back("end of file"); continue; }
    switch (type) {
      case P::IDENT: words.push_back("a name"); continue;
      case P::INT: words.push_back("a whole number"); continue;
      case P::STRING: words.push_back("a string"); continue;
      case P::DURATION: words.push_back("a duration such as `7d`"); continue;
      case P::PERCENT: words.push_back("a percentage such as `10%`"); continue;
      case P::TIME_OF_DAY: words.push_back("a time of day such as `10:00`"); continue;
      case P::INSTANT: words.push_back("an instant such as `2026-12-01T00:00Z`"); continue;
      default: break;
    }
    std::string name = vocab.getDisplayName(type);
    if (name.size() >= 2 && name.front() == '\'') name = name.substr(1, name.size() - 2);
    else name = vocab.getLiteralName(type).empty() ? name : vocab.getLiteralName(type);
    if (name.size() >= 2 && name.front() == '\'') name = name.substr(1, name.size() - 2);
    words.push_back("`" + name + "`");
  }
  if (words.empty() || words.size() > 6) return "";
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// The innermost bracket opened before token `index` and not closed by then.
antlr4::Token* UnclosedBracket(antlr4::TokenStream* tokens, size_t index) {
  std::vector<antlr4::Token*> open;
  for (size_t i = 0; i < index; ++i) {
    antlr4::Token* t = tokens->get(i);
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    const std::string text = t->getText();
    if (text == "{" || text == "(") open.push_back(t);
    else if ((text == "}" || text == ")") && !open.empty()) open.pop_back();
  }
  return open.empty() ? nullptr : open.back();
}

// Keywords whose own position is rarely the mistake: when the parser stops at
// one of them, what follows it is what is wrong (`over 30d`).
bool BlamesFollower(const std::string& text) {
  return text == "over" || text == "per" || text == "within" || text == "last";
}

}  // namespace

std::string ErrorListener::Describe(antlr4::Parser* parser, antlr4::Token* offending,
                                    std::string* hint) {
  antlr4::TokenStream* tokens = parser->getTokenStream();
  antlr4::Token* previous = nullptr;
  for (size_t i = offending->getTokenIndex(); i > 0 && previous == nullptr; --i) {
    antlr4::Token* t = tokens->get(i - 1);
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) previous = t;
  }
  std::string expected;
  if (previous) {
    auto it = FollowerPhrases().find(previous->getText());
    if (it != FollowerPhrases().end()) expected = it->second;
    // Keywords double as names (`sum(rule …)`): when a name was found where a
    // keyword wanted one, the keyword was not in that role; describe the set.
    const size_t type = offending->getType();
    if ((type == gen::QuestlineParser::IDENT || IsContextualKeyword(type)) && expected.size() > 5 &&
        expected.compare(expected.size() - 5, 5, " name") == 0)
      expected.clear();
    // The parser may already be inside `ident` when it stops: look at its caller too.
    antlr4::ParserRuleContext* context = parser->getContext();
    if (dynamic_cast<gen::QuestlineParser::IdentContext*>(context) && context->parent)
      context = dynamic_cast<antlr4::ParserRuleContext*>(context->parent);
    if (previous->getText() == "on" &&
        dynamic_cast<gen::QuestlineParser::RuleDeclContext*>(context))
      expected = "an event name";
  }
  if (expected.empty()) {
    try {
      expected = DescribeExpected(parser, parser->getExpectedTokens());
    } catch (...) {
      expected.clear();
    }
  }
  std::string found = TokenWords(offending);
  // A reserved word where a name belongs: say so plainly, and why. Contextual
  // keywords are names there, so only the reserved few can get here.
  const std::string text = offending->getText();
  if (expected.size() > 5 && expected.compare(expected.size() - 5, 5, " name") == 0 &&
      IsReservedKeyword(offending->getType())) {
    *hint = "only declaration words, `true false`, `and or not` and weekdays are reserved "
            "(docs/language.md); try `" + text + "_" +
            (previous ? previous->getText() : std::string("name")) + "`";
    return "`" + text + "` is a reserved word (" + WhyReserved(offending->getType()) +
           "), not " + expected;
  }
  if (!expected.empty()) {
    std::string message = "expected " + expected;
    if (previous) message += " after `" + previous->getText() + "`";
    message += ", found " + found;
    return message;
  }
  *hint = "check the declaration's syntax in docs/language.md";
  return "unexpected " + found;
}

void ErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending,
                                size_t line, size_t, const std::string&, std::exception_ptr) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (parser == nullptr || offending == nullptr) return;
  antlr4::TokenStream* tokens = parser->getTokenStream();
  // An unterminated comment already explained why the file ends early.
  if (offending->getType() == antlr4::Token::EOF && eof_reported_) return;
  // One report per declaration: after the first error the parser is guessing,
  // and whatever else it trips over is that error's echo.
  if (reported_ || budget_.left == 0) return;
  --budget_.left;
  reported_ = true;

  // The declaration ended (next declaration or end of file) while the parser
  // still wanted more: the real mistake is an unclosed bracket.
  if (offending->getType() == antlr4::Token::EOF) {
    if (antlr4::Token* open = UnclosedBracket(tokens, offending->getTokenIndex())) {
      std::string closer = open->getText() == "{" ? "}" : ")";
      std::string where = next_declaration_.empty() ? "before the end of the file"
                                                    : "before " + next_declaration_;
      builder_.Error(diag::Kind::ExpectedToken, builder_.Range(open),
                     "this `" + open->getText() + "` is never closed",
                     "add `" + closer + "` " + where);
      return;
    }
  }
  if (BlamesFollower(offending->getText()) && offending->getTokenIndex() + 1 < tokens->size()) {
    antlr4::Token* next = tokens->get(offending->getTokenIndex() + 1);
    std::string hint;
    std::string message = Describe(parser, next, &hint);
    builder_.Error(diag::Kind::ExpectedToken, builder_.Range(next), message, hint);
    return;
  }
  std::string hint;
  std::string message = Describe(parser, offending, &hint);
  builder_.Error(diag::Kind::ExpectedToken, builder_.Range(offending), message, hint);
}

}  // namespace questline::syntax
