// Competitions, store items, mini-games, raffles, flows and policies.
#include <catch2/catch.hpp>

#include "tests/syntax/parse_helpers.h"

using namespace questline;
using testing::Only;
using testing::ParseText;

TEST_CASE("leaderboards and tournaments", "[syntax][competitions]") {
  auto p = ParseText(R"(leaderboard weekly_points {
  score points_earned
  period weekly
  prizes { 1: award gems 10   2..5: award gems 5 }
}
tournament weekend_slots {
  audience vip
  window every week sat 00:00 .. mon 00:00
  register buy_in 100 points
  score sum(bet.amount where bet.game_type == "slots")
  happy_hours { sat 10:00-16:00 x2  sat 16:00-22:00 x3 }
  min_score 100
  min_players 10
  max_players 20_000
  prizes { 1: grant bonus "cash_500"  2..10: award points 1000 }
}
tournament fixed { window 2026-12-05T00:00Z .. 2026-12-07T00:00Z  score count(bet) })");
  REQUIRE(p.sink.All().empty());
  const auto& lb = std::get<ast::CompetitionDecl>(p.module.decls[0]);
  CHECK(lb.kind == ast::CompetitionKind::Leaderboard);
  CHECK(lb.score_points_earned);
  CHECK(lb.period == ast::Recurrence::Weekly);
  REQUIRE(lb.prizes.size() == 2);
  CHECK(lb.prizes[1].first == 2);
  CHECK(lb.prizes[1].last == 5);
  const auto& t = std::get<ast::CompetitionDecl>(p.module.decls[1]);
  CHECK(t.kind == ast::CompetitionKind::Tournament);
  REQUIRE(t.recurring_window);
  CHECK(t.recurring_window->from_weekday == 5);
  CHECK(t.recurring_window->to_weekday == 0);
  CHECK(t.registration);
  CHECK(t.buy_in->int_value == 100);
  CHECK(t.buy_in_currency.name == "points");
  REQUIRE(t.happy_hours.size() == 2);
  CHECK(t.happy_hours[1].from_minute == 16 * 60);
  CHECK(t.happy_hours[1].to_minute == 22 * 60);
  CHECK(t.happy_hours[1].multiplier == 3);
  CHECK(t.max_players->int_value == 20000);
  const auto& fixed = std::get<ast::CompetitionDecl>(p.module.decls[2]);
  REQUIRE(fixed.window);
  CHECK_FALSE(fixed.recurring_window);
}

TEST_CASE("store items, mini-games and raffles", "[syntax][store]") {
  auto p = ParseText(R"(item free_spins_50 {
  title "50 Free Spins"  price 500 points  audience vip
  limit 1 per week  stock 1000
  on purchase { grant bonus "fs_50" }
}
minigame lucky_wheel {
  kind wheel
  cost 1 attempt
  prize fs10    weight 10 stock 500 { grant bonus "fs_10" }
  prize nothing weight 50
  limit 3 per day
}
minigame scratch { kind scratch  cost 50 points  prize p weight 1 }
raffle xmas {
  draw at 2026-12-24T20:00Z
  prize iphone count 1  max_per_user 1 { grant bonus "iphone" }
  prize tickets count 50
  max_prizes_per_user 2
})");
  REQUIRE(p.sink.All().empty());
  const auto& item = std::get<ast::ItemDecl>(p.module.decls[0]);
  CHECK(item.price->int_value == 500);
  CHECK(item.currency.name == "points");
  CHECK(item.limit->period == ast::Period::Week);
  CHECK(item.stock->int_value == 1000);
  REQUIRE(item.on_purchase);
  const auto& wheel = std::get<ast::MinigameDecl>(p.module.decls[1]);
  CHECK(wheel.kind.name == "wheel");
  CHECK(wheel.cost_currency.name.empty());
  REQUIRE(wheel.prizes.size() == 2);
  CHECK(wheel.prizes[0].stock->int_value == 500);
  CHECK(wheel.prizes[1].body.empty());
  CHECK(std::get<ast::MinigameDecl>(p.module.decls[2]).cost_currency.name == "points");
  const auto& raffle = std::get<ast::RaffleDecl>(p.module.decls[3]);
  REQUIRE(raffle.prizes.size() == 2);
  CHECK(raffle.prizes[1].name.name == "tickets");
  CHECK(raffle.prizes[0].max_per_user->int_value == 1);
  CHECK(raffle.max_prizes_per_user->int_value == 2);
}

TEST_CASE("flows with every trigger and step", "[syntax][flows]") {
  auto p = ParseText(R"(flow reactivation {
  on enter sleeping
  audience profile.marketing_opt_in
  holdout 10%
  reenter after 30d
  send inbox "we_miss_you"
  wait 1d
  wait for deposit where deposit.amount >= 20 within 3d {
    award points 200
  } timeout {
    grant bonus "fs_20"
  }
  split { 50%: { tag "a" } 50%: { tag "b" } }
  choose by bandit reward deposit within 7d context (profile.country, hour(now)) {
    arm spins  { grant bonus "fs_10" }
    arm points { award points 100 }
  }
  exit
}
flow a { on exit high_roller }
flow b { on deposit where deposit.amount > 5 }
flow c { every day at 10:00 }
flow d { every mon at 09:30 })");
  REQUIRE(p.sink.All().empty());
  const auto& f = std::get<ast::FlowDecl>(p.module.decls[0]);
  CHECK(f.trigger.kind == ast::TriggerKind::Enter);
  CHECK(f.trigger.target.name == "sleeping");
  CHECK(f.holdout->int_value == 10 * ast::kDecimalScale);
  CHECK(f.reenter_after->int_value == 30LL * 86'400'000);
  REQUIRE(f.steps.size() == 6);
  CHECK(f.steps[1].kind == ast::StmtKind::Wait);
  const auto& wf = f.steps[2];
  CHECK(wf.kind == ast::StmtKind::WaitFor);
  CHECK(wf.event.name == "deposit");
  CHECK(wf.where);
  CHECK(wf.value->int_value == 3LL * 86'400'000);
  CHECK(wf.has_else);
  CHECK(wf.else_body.size() == 1);
  CHECK(f.steps[3].branches.size() == 2);
  CHECK(f.steps[3].branches[0].share->int_value == 50 * ast::kDecimalScale);
  const auto& choose = f.steps[4];
  CHECK(choose.kind == ast::StmtKind::ChooseBandit);
  CHECK(choose.context.size() == 2);
  CHECK(choose.branches[1].name.name == "points");
  CHECK(f.steps[5].kind == ast::StmtKind::Exit);
  CHECK(std::get<ast::FlowDecl>(p.module.decls[1]).trigger.kind == ast::TriggerKind::Exit);
  CHECK(std::get<ast::FlowDecl>(p.module.decls[2]).trigger.where);
  const auto& c = std::get<ast::FlowDecl>(p.module.decls[3]).trigger;
  CHECK(c.kind == ast::TriggerKind::Schedule);
  CHECK(c.weekday == -1);
  CHECK(c.minute == 600);
  CHECK(std::get<ast::FlowDecl>(p.module.decls[4]).trigger.weekday == 0);
}

TEST_CASE("policies", "[syntax][policies]") {
  auto p = ParseText(R"(policy rg {
  block rewards when profile.self_excluded
  block messages when not profile.marketing_opt_in
  cap messages 3 per day
  quiet_hours 22:00-08:00 for push, sms
})");
  REQUIRE(p.sink.All().empty());
  const auto& pol = Only<ast::PolicyDecl>(p);
  REQUIRE(pol.blocks.size() == 2);
  CHECK(pol.blocks[0].target == ast::PolicyTarget::Rewards);
  CHECK(pol.blocks[1].target == ast::PolicyTarget::Messages);
  CHECK(pol.message_caps[0].period == ast::Period::Day);
  REQUIRE(pol.quiet_hours.size() == 1);
  CHECK(pol.quiet_hours[0].from_minute == 22 * 60);
  CHECK(pol.quiet_hours[0].to_minute == 8 * 60);
  CHECK(pol.quiet_hours[0].channels.size() == 2);
}
