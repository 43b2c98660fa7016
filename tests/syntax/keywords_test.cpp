// Reserved and contextual keywords (docs/language.md, Lexical): the grammar's
// `ident` rule, compiler/syntax/keywords.cpp and the docs list the same words.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "compiler/syntax/keywords.h"
#include "tests/syntax/parse_helpers.h"

using namespace questline;
using testing::ParseText;

TEST_CASE("every contextual keyword names declarations and references", "[syntax][keywords]") {
  const std::vector<std::string> words = syntax::ContextualWords();
  REQUIRE(words.size() > 50);
  for (const std::string& w : words) {
    INFO(w);
    // One text per word: it names a currency, a metric, an event, a rule (on
    // that event), a let and a mission, and is used in each reference position.
    auto p = ParseText("currency " + w + "\n" +
                       "metric " + w + " = count(bet)\n" +
                       "event " + w + " { x: int }\n" +
                       "rule " + w + " on " + w + " where " + w + " > 1 {\n"
                       "  award " + w + " 1\n"
                       "  let " + w + " = 2\n"
                       "  give mission " + w + "\n"
                       "  cap 10 " + w + " per day\n"
                       "}\n" +
                       "mission " + w + " { unlock on " + w + "  task t { count(bet) >= 1 } }\n");
    for (const auto& d : p.sink.All()) INFO(d.message);
    CHECK(p.sink.All().empty());
    REQUIRE(p.module.decls.size() == 5);
    const auto& rule = std::get<ast::RuleDecl>(p.module.decls[3]);
    CHECK(rule.name.name == w);
    CHECK(rule.event.name == w);
    REQUIRE(rule.body.size() == 3);
    CHECK(rule.body[0].target.name == w);
    REQUIRE(rule.cap.has_value());
    CHECK(rule.cap->currency.name == w);
  }
}

TEST_CASE("a reserved keyword cannot name anything and the message says why",
          "[syntax][keywords]") {
  for (const std::string& w : syntax::ReservedWords()) {
    INFO(w);
    auto p = ParseText("metric " + w + " = 1\n");
    REQUIRE(p.sink.All().size() == 1);
    const diag::Diagnostic& d = p.sink.All()[0];
    CHECK(d.kind == diag::Kind::ExpectedToken);
    CHECK(d.message.rfind("`" + w + "` is a reserved word (it ", 0) == 0);
  }
}

TEST_CASE("docs/language.md lists the contextual and reserved keywords", "[syntax][keywords]") {
  std::ifstream in(std::string(QUESTLINE_SOURCE_DIR) + "/docs/language.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  // The contextual list: the backticked words of the "- Contextual keywords:" item.
  size_t at = docs.find("- Contextual keywords: `");
  REQUIRE(at != std::string::npos);
  size_t open = docs.find('`', at), close = docs.find('`', open + 1);
  std::istringstream listed(docs.substr(open + 1, close - open - 1));
  std::set<std::string> documented;
  for (std::string w; listed >> w;) documented.insert(w);
  const std::vector<std::string> contextual = syntax::ContextualWords();
  CHECK(documented == std::set<std::string>(contextual.begin(), contextual.end()));
  // Every reserved word is named in the paragraph that says which are reserved.
  size_t reserved_at = docs.find("Only a few words are **reserved**");
  REQUIRE(reserved_at != std::string::npos);
  const std::string paragraph = docs.substr(reserved_at, docs.find("\n- ", reserved_at) - reserved_at);
  for (const std::string& w : syntax::ReservedWords()) {
    INFO(w);
    CHECK((paragraph.find(" " + w + " ") != std::string::npos ||
           paragraph.find("`" + w + " ") != std::string::npos ||
           paragraph.find(" " + w + "`") != std::string::npos ||
           paragraph.find("\n  " + w + " ") != std::string::npos));
  }
}
