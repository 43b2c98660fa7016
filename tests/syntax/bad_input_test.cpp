// Hostile input: every case ends in a diagnostic with a location, never a
// crash, a hang or a stack overflow.
#include <catch2/catch.hpp>

#include "tests/syntax/parse_helpers.h"

using namespace questline;
using testing::Has;
using testing::ParseText;

TEST_CASE("an empty file is a warning at 1:1", "[syntax][bad]") {
  auto p = ParseText("");
  REQUIRE(p.sink.All().size() == 1);
  CHECK(p.sink.All()[0].kind == diag::Kind::EmptyFile);
  CHECK(p.sink.All()[0].range.line == 1);
  CHECK_FALSE(p.sink.HasErrors());
}

TEST_CASE("binary garbage", "[syntax][bad]") {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(char((i * 7919) % 256));
  auto p = ParseText(garbage);
  REQUIRE(p.sink.HasErrors());
  for (const auto& d : p.sink.All()) CHECK(d.range.Valid());
  CHECK(p.sink.All().size() <= 3 * syntax::ParseLimits{}.max_errors_per_file);
}

TEST_CASE("invalid UTF-8 is reported at its byte and lexing goes on", "[syntax][bad]") {
  auto p = ParseText("const a = 1\nconst b = \"\xC3\x28\"\nconst c = 3");
  REQUIRE(Has(p, diag::Kind::InvalidUtf8));
  const auto& d = p.sink.All()[0];
  CHECK(d.range.line == 2);
  CHECK(d.range.col == 12);
  CHECK(p.module.decls.size() == 3);
}

TEST_CASE("a file above the size limit is refused up front", "[syntax][bad]") {
  std::string big;
  big.reserve(10u << 20);
  while (big.size() < (10u << 20)) big += "const c = 1 // padding padding padding padding\n";
  auto p = ParseText(big);
  REQUIRE(Has(p, diag::Kind::FileTooLarge));
  CHECK(p.sink.All()[0].range.line == 1);
  CHECK(p.module.decls.empty());
}

TEST_CASE("10,000 nested parentheses hit the nesting bound, not the stack", "[syntax][bad]") {
  std::string deep = "segment s = " + std::string(10000, '(') + "1" + std::string(10000, ')') + " > 0";
  auto p = ParseText(deep);
  REQUIRE(Has(p, diag::Kind::NestingTooDeep));
  CHECK(p.sink.All()[0].range.col == 13 + 200);
}

TEST_CASE("long prefix-operator chains hit the nesting bound too", "[syntax][bad]") {
  std::string chain = "const c = ";
  for (int i = 0; i < 5000; ++i) chain += "not ";
  auto p = ParseText(chain + "true");
  CHECK(Has(p, diag::Kind::NestingTooDeep));
  std::string minus = "const m = " + std::string(5000, '-') + "1";
  CHECK(Has(ParseText(minus), diag::Kind::NestingTooDeep));
}

TEST_CASE("nesting within the bound parses", "[syntax][bad]") {
  std::string ok = "segment s = " + std::string(150, '(') + "1" + std::string(150, ')') + " > 0";
  auto p = ParseText(ok);
  CHECK_FALSE(p.sink.HasErrors());
}

TEST_CASE("unterminated string and comment at end of file", "[syntax][bad]") {
  auto s = ParseText("rule r on bet { grant bonus \"fs_20");
  REQUIRE(Has(s, diag::Kind::UnterminatedString));
  auto c = ParseText("rule r on bet { award points 1 }\n/* no end");
  REQUIRE(c.sink.All().size() == 1);
  CHECK(c.sink.All()[0].kind == diag::Kind::UnterminatedComment);
  CHECK(c.sink.All()[0].range.line == 2);
  CHECK(c.module.decls.size() == 1);
}

TEST_CASE("three unrelated errors give three reports, each in its declaration", "[syntax][bad]") {
  auto p = ParseText(R"(rule a on bet where bet.amount > {
  award points 10
}
mission m {
  time_limit }
  task t { count(bet) >= 1 }
}
rule b on deposit { award points 1 + }
rule good on bet { award points 1 })");
  REQUIRE(p.sink.ErrorCount() == 3);
  CHECK(p.sink.All()[0].range.line == 1);
  CHECK(p.sink.All()[1].range.line == 5);
  CHECK(p.sink.All()[1].message.find("duration") != std::string::npos);
  CHECK(p.sink.All()[2].range.line == 8);
  // Damaged declarations are dropped; the good one survives.
  REQUIRE(p.module.decls.size() == 1);
  CHECK(std::get<ast::RuleDecl>(p.module.decls[0]).name.name == "good");
}

TEST_CASE("messages never leak ANTLR's wording", "[syntax][bad]") {
  const char* inputs[] = {"rule", "rule r on bet { award }", "mission { }", "flow f { wait for }",
                          "const x = (1 + ", "}}}}", "segment s = a b c"};
  for (const char* input : inputs) {
    auto p = ParseText(input);
    INFO(input);
    REQUIRE(p.sink.HasErrors());
    for (const auto& d : p.sink.All()) {
      CHECK(d.message.find("mismatched input") == std::string::npos);
      CHECK(d.message.find("extraneous input") == std::string::npos);
      CHECK(d.message.find("no viable alternative") == std::string::npos);
      CHECK(d.message.find("expecting {") == std::string::npos);
    }
  }
}
