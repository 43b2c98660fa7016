// The checked package: what sema hands to the IR. Each test asserts contents a
// broken checker would get wrong (ids, types, widening, folding, dedupe).
#include <catch2/catch.hpp>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"

using namespace questline;

namespace {

struct Checked {
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  std::vector<ast::Module> modules;
  sema::Package pkg;
};

std::unique_ptr<Checked> CheckText(const std::string& text) {
  auto c = std::make_unique<Checked>();
  diag::FileId prelude = c->sources.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText()));
  diag::FileId file = c->sources.AddFile("test.quest", text);
  c->modules.push_back(syntax::Parse(prelude, c->sources, c->sink));
  c->modules.push_back(syntax::Parse(file, c->sources, c->sink));
  REQUIRE_FALSE(c->sink.HasErrors());
  c->pkg = sema::Check(c->modules, c->sources, c->sink);
  return c;
}

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

}  // namespace

TEST_CASE("rule conditions are typed with widening inserted", "[sema]") {
  auto c = CheckText(std::string("rule r on deposit where deposit.amount >= 20 { award points 1 }") + kPolicy);
  REQUIRE(c->sink.All().empty());
  const sema::Rule& r = c->pkg.rules.at(0);
  CHECK(c->pkg.events[size_t(r.event)].name == "deposit");
  REQUIRE(r.where);
  CHECK(r.where->type.kind == sema::TypeKind::Bool);
  CHECK(r.where->operands[0].kind == sema::ExprKind::EventField);
  CHECK(c->pkg.events[size_t(r.event)].fields[size_t(r.where->operands[0].field)].name == "amount");
  // 20 is an int compared with a decimal: widened.
  CHECK(r.where->operands[1].kind == sema::ExprKind::Widen);
}

TEST_CASE("identical inline aggregates share one anonymous metric", "[sema]") {
  auto c = CheckText(std::string(
      "rule a on deposit where count(deposit) == 1 { award points 1 }\n"
      "rule b on deposit where count(deposit) == 1 and deposit.amount > 5 { award points 2 }\n"
      "rule d on deposit where count(deposit where deposit.amount > 5) == 1 { award points 3 }\n") + kPolicy);
  REQUIRE(c->sink.All().empty());
  int anonymous = 0;
  for (const auto& m : c->pkg.metrics) anonymous += m.anonymous;
  CHECK(anonymous == 2);
  CHECK(c->pkg.rules[0].where->operands[0].id == c->pkg.rules[1].where->operands[0].operands[0].id);
}

TEST_CASE("constant clauses are folded", "[sema]") {
  auto c = CheckText(std::string(
      "const base = 1_000\n"
      "rule r on bet { award points 1  cap base * 5 points per day  limit 3 per week }\n"
      "mission m { time_limit 3d  active 2026-12-01T00:00Z .. 2026-12-02T00:00Z  task t { count(bet) >= 2 } }\n") + kPolicy);
  const sema::Rule& r = c->pkg.rules.at(0);
  REQUIRE(r.cap);
  CHECK(r.cap->amount == 5000);
  CHECK(r.cap->currency == 0);
  CHECK(r.cap->period == ast::Period::Day);
  REQUIRE(r.limit);
  CHECK(r.limit->amount == 3);
  const sema::Mission& m = c->pkg.missions.at(0);
  CHECK(m.time_limit_ms == 3 * 86'400'000LL);
  CHECK(*m.active_to - *m.active_from == 86'400'000LL);
  CHECK(m.max_completions == 1);
  REQUIRE(m.tasks.size() == 1);
  CHECK(m.tasks[0].aggregate.fn == ast::AggregateFn::Count);
  CHECK(m.tasks[0].op == sema::Op::Ge);
}

TEST_CASE("names resolve to their tables regardless of order", "[sema]") {
  auto c = CheckText(std::string(
      "level gold { at 10  on reach { give mission vip  give attempts wheel 1 } }\n"
      "mission vip { task t { count(bet) >= 1 } }\n"
      "minigame wheel { cost 1 attempt  prize p weight 1 }\n"
      "currency gems\n"
      "item i { price 5 gems }\n"
      "rule r on deposit { award gems 5 }\n") + kPolicy);
  REQUIRE(c->sink.All().empty());
  const auto& on_reach = c->pkg.levels.at(0).on_reach;
  REQUIRE(on_reach.size() == 2);
  CHECK(c->pkg.missions[size_t(on_reach[0].target)].name == "vip");
  CHECK(c->pkg.minigames[size_t(on_reach[1].target)].name == "wheel");
  CHECK(c->pkg.currencies[size_t(c->pkg.items[0].currency)].name == "gems");
}

TEST_CASE("segments record whether time alone can change them", "[sema]") {
  auto c = CheckText(
      "metric last_dep = last(deposit.ts)\n"
      "segment sleeping = has(last_dep) and now - last_dep > 7d\n"
      "segment depositor = count(deposit) > 0\n"
      "flow a { on enter sleeping }\nflow b { on enter depositor }\n");
  REQUIRE(c->sink.All().empty());
  CHECK(c->pkg.segments[0].time_dependent);
  CHECK_FALSE(c->pkg.segments[1].time_dependent);
  CHECK(c->pkg.segments[0].condition->type.kind == sema::TypeKind::Bool);
}

TEST_CASE("decimal awards are floored explicitly in the package", "[sema]") {
  auto c = CheckText(std::string("rule r on deposit { award points deposit.amount / 10 }") + kPolicy);
  REQUIRE(c->sink.All().size() == 1);
  CHECK(c->sink.All()[0].kind == diag::Kind::DecimalAmountFloored);
  const sema::Stmt& award = c->pkg.rules.at(0).body.at(0);
  CHECK(award.value->kind == sema::ExprKind::Builtin);
  CHECK(award.value->builtin == sema::Builtin::Floor);
  CHECK(award.value->type.kind == sema::TypeKind::Int);
}

TEST_CASE("metric windows, result types and flow steps are recorded", "[sema]") {
  auto c = CheckText(std::string(
      "metric m = sum(bet.amount) over last 30d\n"
      "segment s = m >= 10\n"
      "flow f { on enter s  audience profile.marketing_opt_in  send inbox \"x\" }\n") + kPolicy);
  REQUIRE(c->sink.All().empty());
  CHECK(c->pkg.metrics[0].aggregate.window.kind == ast::WindowKind::Last);
  CHECK(c->pkg.metrics[0].aggregate.window.length_ms == 30 * 86'400'000LL);
  CHECK(c->pkg.metrics[0].aggregate.result.kind == sema::TypeKind::Decimal);
  CHECK(c->pkg.flows[0].trigger.kind == ast::TriggerKind::Enter);
  CHECK(c->pkg.flows[0].steps.at(0).target == 0);   // inbox
}
