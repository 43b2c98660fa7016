#include "compiler/syntax/error_listener.h"

#include <algorithm>
#include <map>

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
  if (t->getType() == antlr4::Token::EOF) return "end of file";
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
  }
  if (expected.empty()) {
    try {
      expected = DescribeExpected(parser, parser->getExpectedTokens());
    } catch (...) {
      expected.clear();
    }
  }
  std::string found = TokenWords(offending);
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
  error_tokens_.insert(
      std::upper_bound(error_tokens_.begin(), error_tokens_.end(), offending->getTokenIndex()),
      offending->getTokenIndex());
  // An unterminated comment already explained why the file ends early; one
  // mistake, one report. Likewise, a second error on the line of the previous
  // one is almost always its echo.
  if (offending->getType() == antlr4::Token::EOF && eof_reported_) return;
  if (reported_ > 0 && line == last_line_) return;
  if (offending->getTokenIndex() < quiet_until_) return;
  if (reported_ >= max_errors_) return;
  ++reported_;
  last_line_ = line;
  auto next = std::upper_bound(resync_points_.begin(), resync_points_.end(),
                               offending->getTokenIndex());
  quiet_until_ = next == resync_points_.end() ? SIZE_MAX : *next;
  std::string hint;
  std::string message = Describe(parser, offending, &hint);
  builder_.Error(diag::Kind::ExpectedToken, builder_.Range(offending), message, hint);
}

}  // namespace questline::syntax
