// Schema, metrics, segments, rules, levels, badges and missions parse into the
// AST with their values and exact ranges.
#include <catch2/catch.hpp>

#include "tests/syntax/parse_helpers.h"

using namespace questline;
using testing::Only;
using testing::ParseText;

TEST_CASE("type, event, extend and profile declarations", "[syntax][schema]") {
  auto p = ParseText(R"(type GameType = "slots" | "live_casino"
event deposit { amount: decimal, currency: string; method: string }
extend event bet { device: "mobile" | "desktop" }
extend profile {
  affiliate: string = ""
  kyc_verified: bool = false
}
profile { country: string = "MT" })");
  REQUIRE(p.sink.All().empty());
  REQUIRE(p.module.decls.size() == 5);
  const auto& type = std::get<ast::TypeDecl>(p.module.decls[0]);
  CHECK(type.name.name == "GameType");
  REQUIRE(type.members.size() == 2);
  CHECK(type.members[1].name == "live_casino");
  CHECK(type.members[1].range.col == 27);
  const auto& deposit = std::get<ast::EventDecl>(p.module.decls[1]);
  CHECK_FALSE(deposit.extends);
  REQUIRE(deposit.fields.size() == 3);
  CHECK(deposit.fields[2].name.name == "method");
  CHECK(deposit.fields[0].type.name.name == "decimal");
  const auto& bet = std::get<ast::EventDecl>(p.module.decls[2]);
  CHECK(bet.extends);
  CHECK(bet.fields[0].type.members == std::vector<std::string>{"mobile", "desktop"});
  const auto& profile = std::get<ast::ProfileDecl>(p.module.decls[3]);
  CHECK(profile.extends);
  REQUIRE(profile.fields[1].default_value);
  CHECK(profile.fields[1].default_value->kind == ast::ExprKind::Bool);
  CHECK(profile.range.line == 4);
  CHECK(profile.range.end_line == 7);
  CHECK_FALSE(std::get<ast::ProfileDecl>(p.module.decls[4]).extends);
}

TEST_CASE("currency, settings, const and fn", "[syntax][schema]") {
  auto p = ParseText(R"(currency gems
settings { timezone "Europe/Malta"  week_starts mon  seed "s" }
const min_deposit = 20
const ratio: decimal = 0.5
fn wager_points(amount: decimal, bonus: int) -> int = floor(amount / 10) + bonus)");
  REQUIRE(p.sink.All().empty());
  CHECK(std::get<ast::CurrencyDecl>(p.module.decls[0]).name.name == "gems");
  const auto& settings = std::get<ast::SettingsDecl>(p.module.decls[1]);
  REQUIRE(settings.settings.size() == 3);
  CHECK(settings.settings[1].value->kind == ast::ExprKind::Weekday);
  CHECK(settings.settings[1].value->int_value == 0);
  const auto& c = std::get<ast::ConstDecl>(p.module.decls[3]);
  REQUIRE(c.type);
  CHECK(c.type->name.name == "decimal");
  CHECK(c.value->int_value == ast::kDecimalScale / 2);
  const auto& fn = std::get<ast::FnDecl>(p.module.decls[4]);
  REQUIRE(fn.params.size() == 2);
  CHECK(fn.result.name.name == "int");
  CHECK(fn.body->kind == ast::ExprKind::Binary);
  CHECK(fn.body->operands[0]->kind == ast::ExprKind::Call);
  CHECK(fn.body->operands[0]->text == "floor");
}

TEST_CASE("metrics with every window and segments", "[syntax][metrics]") {
  auto p = ParseText(R"(metric a = sum(deposit.amount)
metric b = sum(deposit.amount) over last 30d
metric c = count(bet where bet.game_type == "slots") over this week
metric d = count(bet) over today
metric e = distinct_days(login) over this month
segment s = a >= 1000 and profile.country != "GB"
segment frozen = s locked at 2026-12-01T00:00Z
segment promo = imported)");
  REQUIRE(p.sink.All().empty());
  const auto& b = std::get<ast::MetricDecl>(p.module.decls[1]);
  CHECK(b.value->kind == ast::ExprKind::Aggregate);
  CHECK(b.value->aggregate == ast::AggregateFn::Sum);
  CHECK(b.value->window.kind == ast::WindowKind::Last);
  CHECK(b.value->window.length->int_value == 30LL * 86'400'000);
  const auto& c = std::get<ast::MetricDecl>(p.module.decls[2]);
  REQUIRE(c.value->filter);
  CHECK(c.value->filter->binary_op == ast::BinaryOp::Eq);
  CHECK(c.value->window.kind == ast::WindowKind::ThisWeek);
  CHECK(std::get<ast::MetricDecl>(p.module.decls[3]).value->window.kind == ast::WindowKind::Today);
  CHECK(std::get<ast::MetricDecl>(p.module.decls[4]).value->aggregate == ast::AggregateFn::DistinctDays);
  const auto& frozen = std::get<ast::SegmentDecl>(p.module.decls[6]);
  REQUIRE(frozen.locked_at);
  CHECK(frozen.locked_at->kind == ast::ExprKind::Instant);
  CHECK(std::get<ast::SegmentDecl>(p.module.decls[7]).imported);
}

TEST_CASE("rules with statements, caps and limits", "[syntax][rules]") {
  auto p = ParseText(R"(rule r on deposit where count(deposit) == 1 {
  award points 10
  deduct gems 1
  grant bonus "fs_20"
  send inbox "welcome" { amount: deposit.amount, code: "x" }
  unlock mission m
  give mission m
  give attempts wheel 2
  give tickets xmas 1
  tag "vip"
  untag "new"
  let x = 1
  if x > 0 { award points x } else if x < 0 { exit } else { tag "zero" }
  cap 5000 points per day
  limit 1 per week
})");
  REQUIRE(p.sink.All().empty());
  const auto& r = Only<ast::RuleDecl>(p);
  CHECK(r.event.name == "deposit");
  REQUIRE(r.where);
  REQUIRE(r.body.size() == 12);
  CHECK(r.body[0].kind == ast::StmtKind::Award);
  CHECK(r.body[0].target.name == "points");
  CHECK(r.body[3].kind == ast::StmtKind::Send);
  CHECK(r.body[3].data.size() == 2);
  CHECK(r.body[3].data[0].key.name == "amount");
  CHECK(r.body[6].kind == ast::StmtKind::GiveAttempts);
  CHECK(r.body[10].kind == ast::StmtKind::Let);
  const auto& iff = r.body[11];
  CHECK(iff.kind == ast::StmtKind::If);
  CHECK(iff.has_else);
  REQUIRE(iff.else_body.size() == 1);
  CHECK(iff.else_body[0].kind == ast::StmtKind::If);
  CHECK(iff.else_body[0].else_body[0].kind == ast::StmtKind::Tag);
  REQUIRE(r.cap);
  CHECK(r.cap->amount->int_value == 5000);
  CHECK(r.cap->currency.name == "points");
  CHECK(r.cap->period == ast::Period::Day);
  REQUIRE(r.limit);
  CHECK(r.limit->period == ast::Period::Week);
}

TEST_CASE("levels and badges", "[syntax][rules]") {
  auto p = ParseText(R"(level silver { at 1_000  on reach { grant bonus "silver" } }
badge loyal { when active_days >= 20  on earn { award points 250 } })");
  REQUIRE(p.sink.All().empty());
  const auto& level = std::get<ast::LevelDecl>(p.module.decls[0]);
  CHECK(level.at->int_value == 1000);
  REQUIRE(level.on_reach);
  CHECK(level.on_reach->size() == 1);
  const auto& badge = std::get<ast::BadgeDecl>(p.module.decls[1]);
  CHECK(badge.when->kind == ast::ExprKind::Binary);
  REQUIRE(badge.on_earn);
}

TEST_CASE("missions with every clause", "[syntax][missions]") {
  auto p = ParseText(R"(mission casino_challenge {
  title "Casino Challenge"
  audience high_roller
  unlock on deposit where deposit.amount >= 20
  opt_in
  active 2026-12-01T00:00Z .. 2026-12-31T23:59Z
  recurring weekly
  time_limit 3d
  ordered
  task spins "Spin 50 times" { count(bet where bet.game_type == "slots") >= 50  award points 100 }
  task wager { sum(bet.amount) >= 200 }
  reward { award points 500  grant bonus "fs_20" }
  max_completions 4
}
mission a { unlock after mission casino_challenge  task t { count(bet) >= 1 } }
mission b { unlock at level silver  recurring on_completion  task t { count(bet) >= 1 } })");
  REQUIRE(p.sink.All().empty());
  const auto& m = std::get<ast::MissionDecl>(p.module.decls[0]);
  CHECK(m.title == std::optional<std::string>("Casino Challenge"));
  CHECK(m.unlock.kind == ast::UnlockKind::OnEvent);
  CHECK(m.unlock.target.name == "deposit");
  CHECK(m.opt_in);
  REQUIRE(m.active);
  CHECK(m.active->from->kind == ast::ExprKind::Instant);
  CHECK(m.recurring == ast::Recurrence::Weekly);
  CHECK(m.time_limit->int_value == 3LL * 86'400'000);
  CHECK(m.ordered);
  REQUIRE(m.tasks.size() == 2);
  CHECK(m.tasks[0].title == std::optional<std::string>("Spin 50 times"));
  CHECK(m.tasks[0].body.size() == 1);
  CHECK_FALSE(m.tasks[1].title);
  REQUIRE(m.reward);
  CHECK(m.reward->size() == 2);
  CHECK(m.max_completions->int_value == 4);
  CHECK(std::get<ast::MissionDecl>(p.module.decls[1]).unlock.kind == ast::UnlockKind::AfterMission);
  const auto& b = std::get<ast::MissionDecl>(p.module.decls[2]);
  CHECK(b.unlock.kind == ast::UnlockKind::AtLevel);
  CHECK(b.recurring == ast::Recurrence::OnCompletion);
}
