// Expressions: precedence, literals of every kind, members, calls, aggregates.
#include <catch2/catch.hpp>

#include "tests/syntax/parse_helpers.h"

using namespace questline;
using testing::Only;
using testing::ParseText;

namespace {

const ast::Expr& ConstValue(const testing::Parsed& p) { return *Only<ast::ConstDecl>(p).value; }

}  // namespace

TEST_CASE("precedence: or < and < not < comparison < additive < multiplicative", "[syntax][expr]") {
  auto p = ParseText("const x = not a or b and c == 1 + 2 * 3");
  REQUIRE(p.sink.All().empty());
  const ast::Expr& e = ConstValue(p);
  REQUIRE(e.binary_op == ast::BinaryOp::Or);
  CHECK(e.operands[0]->kind == ast::ExprKind::Unary);
  CHECK(e.operands[0]->unary_op == ast::UnaryOp::Not);
  const ast::Expr& rhs = *e.operands[1];
  CHECK(rhs.binary_op == ast::BinaryOp::And);
  const ast::Expr& cmp = *rhs.operands[1];
  CHECK(cmp.binary_op == ast::BinaryOp::Eq);
  CHECK(cmp.operands[1]->binary_op == ast::BinaryOp::Add);
  CHECK(cmp.operands[1]->operands[1]->binary_op == ast::BinaryOp::Mul);
}

TEST_CASE("left associativity of - and /", "[syntax][expr]") {
  auto p = ParseText("const x = 10 - 3 - 2");
  const ast::Expr& e = ConstValue(p);
  CHECK(e.binary_op == ast::BinaryOp::Sub);
  CHECK(e.operands[0]->binary_op == ast::BinaryOp::Sub);
  CHECK(e.operands[1]->int_value == 2);
}

TEST_CASE("every literal kind", "[syntax][expr]") {
  struct Case { const char* text; ast::ExprKind kind; int64_t value; };
  const Case cases[] = {
      {"true", ast::ExprKind::Bool, 0},           {"1_000", ast::ExprKind::Int, 1000},
      {"12.50", ast::ExprKind::Decimal, 1'250'000'000}, {"30s", ast::ExprKind::Duration, 30'000},
      {"10%", ast::ExprKind::Percent, 1'000'000'000}, {"10:00", ast::ExprKind::TimeOfDay, 600},
      {"2026-12-05T00:00Z", ast::ExprKind::Instant, 1'796'428'800'000},
      {"sat", ast::ExprKind::Weekday, 5},
  };
  for (const Case& c : cases) {
    auto p = ParseText(std::string("const x = ") + c.text);
    INFO(c.text);
    REQUIRE(p.sink.All().empty());
    CHECK(ConstValue(p).kind == c.kind);
    if (c.kind != ast::ExprKind::Bool) CHECK(ConstValue(p).int_value == c.value);
  }
  auto s = ParseText(R"(const x = "fs\t20")");
  CHECK(ConstValue(s).kind == ast::ExprKind::String);
  CHECK(ConstValue(s).text == "fs\t20");
}

TEST_CASE("members, calls, keywords as member names", "[syntax][expr]") {
  auto p = ParseText("const x = has(profile.currency) and deposit.count > hour(now)");
  REQUIRE(p.sink.All().empty());
  const ast::Expr& e = ConstValue(p);
  const ast::Expr& call = *e.operands[0];
  CHECK(call.kind == ast::ExprKind::Call);
  CHECK(call.text == "has");
  const ast::Expr& member = *call.operands[0];
  CHECK(member.kind == ast::ExprKind::Member);
  CHECK(member.text == "currency");
  CHECK(member.operands[0]->text == "profile");
  CHECK(member.name_range.col == 23);
  CHECK(e.operands[1]->operands[0]->text == "count");
}

TEST_CASE("every aggregate function", "[syntax][expr]") {
  const std::pair<const char*, ast::AggregateFn> fns[] = {
      {"count(login)", ast::AggregateFn::Count}, {"sum(bet.amount)", ast::AggregateFn::Sum},
      {"min(bet.amount)", ast::AggregateFn::Min}, {"max(bet.amount)", ast::AggregateFn::Max},
      {"avg(bet.amount)", ast::AggregateFn::Avg}, {"first(deposit.ts)", ast::AggregateFn::First},
      {"last(deposit.ts)", ast::AggregateFn::Last}, {"top(bet.game)", ast::AggregateFn::Top},
      {"distinct_days(login)", ast::AggregateFn::DistinctDays},
      {"streak_days(login)", ast::AggregateFn::StreakDays},
      {"streak_weeks(login)", ast::AggregateFn::StreakWeeks}};
  for (auto& [text, fn] : fns) {
    auto p = ParseText(std::string("metric m = ") + text);
    INFO(text);
    REQUIRE(p.sink.All().empty());
    const auto& m = Only<ast::MetricDecl>(p);
    CHECK(m.value->kind == ast::ExprKind::Aggregate);
    CHECK(m.value->aggregate == fn);
  }
}

TEST_CASE("ranges are exact, with the end one past the last character", "[syntax][ranges]") {
  auto p = ParseText("segment s =\n  deposits_30d >= 1000");
  const auto& s = Only<ast::SegmentDecl>(p);
  CHECK(s.condition->range.line == 2);
  CHECK(s.condition->range.col == 3);
  CHECK(s.condition->range.end_line == 2);
  CHECK(s.condition->range.end_col == 23);
  CHECK(s.range.line == 1);
  CHECK(s.range.col == 1);
}

// Issue 14 §6: columns count characters (an editor's column), not bytes.
TEST_CASE("columns count characters after multi-byte characters", "[syntax][ranges]") {
  auto p = ParseText("const s = \"\xC3\xA9t\xC3\xA9\" // caf\xC3\xA9\nconst t = 1");
  REQUIRE(p.sink.All().empty());
  const auto& t = std::get<ast::ConstDecl>(p.module.decls[1]);
  CHECK(t.value->range.line == 2);
  CHECK(t.value->range.col == 11);
  const auto& s = std::get<ast::ConstDecl>(p.module.decls[0]);
  CHECK(s.value->range.end_col == 16);   // "été" is 5 characters (7 bytes) after column 11
}

TEST_CASE("a byte-order mark shifts no column; a lone CR ends a line", "[syntax][ranges]") {
  auto p = ParseText("\xEF\xBB\xBF" "const s = 1\rconst t = 2\r\nconst u = 3");
  REQUIRE(p.sink.All().empty());
  REQUIRE(p.module.decls.size() == 3);
  const auto& s = std::get<ast::ConstDecl>(p.module.decls[0]);
  CHECK(s.value->range.line == 1);
  CHECK(s.value->range.col == 11);
  const auto& t = std::get<ast::ConstDecl>(p.module.decls[1]);
  CHECK(t.value->range.line == 2);
  CHECK(t.value->range.col == 11);
  const auto& u = std::get<ast::ConstDecl>(p.module.decls[2]);
  CHECK(u.value->range.line == 3);
  CHECK(u.value->range.col == 11);
}
