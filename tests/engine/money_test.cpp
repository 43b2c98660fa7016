// Money and competitions (LANGUAGE.md §8, §10): scores of their own kind,
// ties, windows closing together, registration before the window,
// cancellations, paid requests under policies, what players pay, raffles
// already drawn, rejected requests, and the state after a window. Each case
// failed on the engine before these rules; every one runs on both backends.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Reg(const std::string& id, const std::string& user, const std::string& ts, const std::string& t) {
  return Event("tournament_register", id, user, ts, "\"tournament\":\"" + t + "\"");
}

std::string Deposit(const std::string& id, const std::string& user, const std::string& ts, int amount) {
  return Event("deposit", id, user, ts, "\"amount\":" + std::to_string(amount));
}

}  // namespace

TEST_CASE("a decimal score is reported as a decimal and min_score compares in its units", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
tournament cup {
  window 2026-12-05T00:00Z .. 2026-12-07T00:00Z
  score sum(bet.amount)
  min_score 100
  prizes { 1: grant bonus "first"  2: grant bonus "second" }
})") + kPolicy,
                       Bet("b1", "a", "2026-12-05T10:00:00Z", "100.25") + Bet("b2", "a", "2026-12-05T10:01:00Z", "20") +
                           Bet("b3", "b", "2026-12-05T11:00:00Z", "60.5"),
                       "2026-12-08T00:00:00Z");
  CHECK(r.Count({"\"user\":\"a\"", "\"rank\":1", "\"score\":120.25"}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"first\""}) == 1);
  // 60.5 is below 100: no rank, no prize.
  CHECK(r.Count({"\"user\":\"b\"", "\"action\":\"tournament\""}) == 0);
  CHECK(r.Count({"\"bonus\":\"second\""}) == 0);
  CHECK(r.state.find("\"cup\":{\"last\":{\"score\":60.5,\"rank\":null}}") != std::string::npos);
}

TEST_CASE("max, avg, min, first, last and distinct_days scores are what they say", "[engine][money]") {
  const std::string window = "window 2026-12-05T00:00Z .. 2026-12-08T00:00Z";
  auto r = RunScenario("settings { timezone \"UTC\" }\n"
                       "tournament best { " + window + "  score max(bet.amount)  prizes { 1: grant bonus \"best\" } }\n"
                       "tournament mean { " + window + "  score avg(bet.amount)  prizes { 1: grant bonus \"mean\" } }\n"
                       "tournament low { " + window + "  score min(bet.amount)  prizes { 1: grant bonus \"low\" } }\n"
                       "tournament opener { " + window + "  score first(bet.amount)  prizes { 1: grant bonus \"opener\" } }\n"
                       "tournament closer { " + window + "  score last(bet.amount)  prizes { 1: grant bonus \"closer\" } }\n"
                       "tournament days { " + window + "  score distinct_days(bet)  prizes { 1: grant bonus \"days\" } }\n" +
                           kPolicy,
                       // a: six bets of 10 on one day. b: 50 on Saturday, 5 on Sunday.
                       Bet("a1", "a", "2026-12-05T10:00:00Z", "10") + Bet("a2", "a", "2026-12-05T10:01:00Z", "10") +
                           Bet("a3", "a", "2026-12-05T10:02:00Z", "10") + Bet("a4", "a", "2026-12-05T10:03:00Z", "10") +
                           Bet("a5", "a", "2026-12-05T10:04:00Z", "10") + Bet("a6", "a", "2026-12-05T10:05:00Z", "10") +
                           Bet("b1", "b", "2026-12-05T11:00:00Z", "50") + Bet("b2", "b", "2026-12-06T11:00:00Z", "5"),
                       "2026-12-09T00:00:00Z");
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"best\""}) == 1);              // 50 > 10, not 60
  CHECK(r.Count({"\"user\":\"b\"", "\"tournament\":\"best\"", "\"score\":50"}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"mean\""}) == 1);              // 27.5 > 10
  CHECK(r.Count({"\"user\":\"b\"", "\"tournament\":\"mean\"", "\"score\":27.5"}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"low\""}) == 1);               // min 10 > min 5
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"opener\""}) == 1);            // first 50 > 10
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"closer\""}) == 1);            // last 10 > 5
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"days\""}) == 1);              // two days > one
  CHECK(r.Count({"\"user\":\"a\"", "\"tournament\":\"days\"", "\"score\":1"}) == 1);
}

TEST_CASE("a tie goes to who reached the score first; a scoring event that changes nothing keeps the instant",
          "[engine][money]") {
  // a and b both reach 10, a first; then one of them scores without changing
  // their score: sum adds a's bet of 0, max sees b's 5 below b's best.
  struct Case { const char* aggregate; const char* late_user; const char* late_amount; };
  for (const Case& c : {Case{"sum", "a", "0"}, Case{"max", "b", "5"}}) {
    INFO(c.aggregate);
    auto r = RunScenario(std::string("settings { timezone \"UTC\" }\ntournament cup { "
                                     "window 2026-12-05T00:00Z .. 2026-12-07T00:00Z  score ") +
                             c.aggregate + "(bet.amount)  prizes { 1: grant bonus \"cup\" } }" + kPolicy,
                         Bet("a1", "a", "2026-12-05T10:00:00Z", "10") + Bet("b1", "b", "2026-12-05T11:00:00Z", "10") +
                             Bet("x1", c.late_user, "2026-12-05T12:00:00Z", c.late_amount),
                         "2026-12-08T00:00:00Z");
    CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"cup\""}) == 1);
    CHECK(r.Count({"\"user\":\"b\"", "\"tournament\":\"cup\"", "\"rank\":2", "\"score\":10"}) == 1);
  }
}

TEST_CASE("windows closing at one instant are all ranked before any prize is paid", "[engine][money]") {
  // The bettors' prize is points, landing as the points race closes.
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
leaderboard bettors { score count(bet)  period weekly  prizes { 1: award points 500 } }
leaderboard points_race { score points_earned  period weekly  prizes { 1: grant bonus "race" } }
rule pts on deposit { award points 50 })") + kPolicy,
                       Bet("b1", "b", "2026-12-01T09:00:00Z", "1") + Deposit("d1", "a", "2026-12-01T10:00:00Z", 5),
                       "2026-12-15T00:00:00Z");
  // Week one (to Monday 12-07): a earned 50 points and wins the race.
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"race\"", "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"source\":\"leaderboard:bettors\"", "\"amount\":500", "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  // b's prize was earned at the start of week two: it counts there, and only there.
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"race\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"race\"", "\"ts\":\"2026-12-14T00:00:00Z\""}) == 1);
}

TEST_CASE("registration opens before the window and min_players is judged at its start", "[engine][money]") {
  const std::string package = std::string(R"(settings { timezone "UTC" }
tournament cup {
  window every week sat 00:00 .. mon 00:00
  register buy_in 100 points
  score count(bet)
  min_players 2
  prizes { 1: grant bonus "cup" }
}
rule pts on deposit { award points 150 })") + kPolicy;
  auto r = RunScenario(package,
                       // Week one: only a registers (on Friday) — cancelled at Saturday 00:00, refunded.
                       Deposit("d1", "a", "2026-12-03T10:00:00Z", 1) + Reg("r1", "a", "2026-12-04T12:00:00Z", "cup") +
                           Reg("r2", "b", "2026-12-05T10:00:00Z", "cup") +   // too late: already cancelled
                           // Week two: a and b register on Friday; the cup runs.
                           Deposit("d2", "b", "2026-12-10T10:00:00Z", 1) + Reg("r3", "a", "2026-12-11T12:00:00Z", "cup") +
                           Reg("r4", "b", "2026-12-11T12:01:00Z", "cup") + Bet("b1", "b", "2026-12-12T10:00:00Z", "1"),
                       "2026-12-15T00:00:00Z");
  CHECK(r.Count({"\"event\":\"r1\"", "\"state\":\"registered\"", "\"buy_in\":100", "\"currency\":\"points\"",
                 "\"balance\":50"}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"state\":\"cancelled\"", "\"refund\":100", "\"currency\":\"points\"",
                 "\"balance\":150", "\"ts\":\"2026-12-05T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"event\":\"r2\"", "\"reason\":\"cancelled\""}) == 1);
  CHECK(r.Count({"\"event\":\"r3\"", "\"state\":\"registered\""}) == 1);
  CHECK(r.Count({"\"event\":\"r4\"", "\"state\":\"registered\""}) == 1);
  CHECK(r.Count({"\"state\":\"cancelled\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"cup\"", "\"ts\":\"2026-12-14T00:00:00Z\""}) == 1);
}

TEST_CASE("every cancellation is an action to each player: free tournaments and leaderboards", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
tournament free_cup { window 2026-12-05T00:00Z .. 2026-12-07T00:00Z  register  score count(bet)  min_players 2 }
leaderboard weekly_race { score count(bet)  period weekly  min_players 2  prizes { 1: grant bonus "weekly" } })") + kPolicy,
                       Reg("r1", "a", "2026-12-04T12:00:00Z", "free_cup") + Bet("b1", "a", "2026-12-05T10:00:00Z", "1"),
                       "2026-12-08T00:00:00Z");
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"tournament\"", "\"tournament\":\"free_cup\"", "\"state\":\"cancelled\"",
                 "\"ts\":\"2026-12-05T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"state\":\"cancelled\"", "\"refund\""}) == 0);   // nothing was paid
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"leaderboard\"", "\"leaderboard\":\"weekly_race\"", "\"state\":\"cancelled\"",
                 "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"weekly\""}) == 0);
}

TEST_CASE("a self-excluded player's paid requests are rejected and charge nothing", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
item spins { price 10 points  stock 1  on purchase { grant bonus "spins" } }
minigame wheel { cost 1 attempt  prize p weight 1 { award points 5 } }
tournament cup { window 2026-12-05T00:00Z .. 2026-12-07T00:00Z  register buy_in 20 points  score count(bet) }
rule pts on deposit { award points 100  give attempts wheel 1 })") + kPolicy,
                       Deposit("d1", "a", "2026-12-05T09:00:00Z", 1) +
                           Event("profile_update", "p1", "a", "2026-12-05T09:30:00Z", R"("self_excluded":true)") +
                           Event("store_purchase", "s1", "a", "2026-12-05T10:00:00Z", R"("item":"spins")") +
                           Event("minigame_play", "m1", "a", "2026-12-05T10:01:00Z", R"("game":"wheel")") +
                           Reg("r1", "a", "2026-12-05T10:02:00Z", "cup") +
                           Deposit("d2", "b", "2026-12-05T11:00:00Z", 1) +
                           Event("store_purchase", "s2", "b", "2026-12-05T11:01:00Z", R"("item":"spins")"));
  for (const char* id : {"s1", "m1", "r1"})
    CHECK(r.Count({std::string("\"event\":\"") + id + "\"", "\"action\":\"rejected\"", "\"reason\":\"blocked_by_policy\"",
                   "\"policy\":\"rg\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"blocked\""}) == 0);   // nothing was run to block
  CHECK(r.state.find("\"user\":\"a\",\"points\":100") != std::string::npos);
  CHECK(r.state.find("\"attempts\":{\"wheel\":1}") != std::string::npos);
  // The one item in stock is still there for b.
  CHECK(r.Count({"\"user\":\"b\"", "\"action\":\"purchase\""}) == 1);
}

TEST_CASE("what a player pays is logged with the amount and the balance after it", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
minigame wheel { cost 1 attempt  prize p weight 1 }
minigame scratch { cost 30 points  prize p weight 1 }
rule pts on deposit { award points 100  give attempts wheel 2 })") + kPolicy,
                       Deposit("d1", "a", "2026-12-05T09:00:00Z", 1) +
                           Event("minigame_play", "m1", "a", "2026-12-05T10:00:00Z", R"("game":"wheel")") +
                           Event("minigame_play", "m2", "a", "2026-12-05T10:01:00Z", R"("game":"scratch")"));
  CHECK(r.Count({"\"event\":\"m1\"", "\"action\":\"minigame\"", "\"cost\":1", "\"currency\":\"attempts\"",
                 "\"balance\":1"}) == 1);
  CHECK(r.Count({"\"event\":\"m2\"", "\"action\":\"minigame\"", "\"cost\":30", "\"currency\":\"points\"",
                 "\"balance\":70"}) == 1);
}

TEST_CASE("tickets for a raffle already drawn are not sold, and the draw spends every ticket", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
raffle xmas { draw at 2026-12-24T20:00Z  prize p count 1 { grant bonus "p" } }
item ticket { price 200 points  on purchase { give tickets xmas 1 } }
rule pts on deposit { award points 1000 })") + kPolicy,
                       Deposit("d1", "a", "2026-12-20T09:00:00Z", 1) +
                           Event("store_purchase", "s1", "a", "2026-12-20T10:00:00Z", R"("item":"ticket")") +
                           Event("store_purchase", "s2", "a", "2026-12-25T10:00:00Z", R"("item":"ticket")"));
  CHECK(r.Count({"\"event\":\"s1\"", "\"action\":\"purchase\""}) == 1);
  CHECK(r.Count({"\"event\":\"s2\"", "\"reason\":\"raffle_drawn\"", "\"raffle\":\"xmas\""}) == 1);
  CHECK(r.state.find("\"user\":\"a\",\"points\":800") != std::string::npos);
  CHECK(r.state.find("\"tickets\":{}") != std::string::npos);
}

TEST_CASE("a rejected request counts in no metric and fires no rule, task or flow", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
metric plays = count(minigame_play)
minigame wheel { cost 1 attempt  prize p weight 1 }
rule on_play on minigame_play { grant bonus "played" }
flow after_play { on minigame_play  grant bonus "flowed" }
mission twice { opt_in  task t "opt in" { count(mission_opt_in) >= 1 }  reward { grant bonus "twice" } })") + kPolicy,
                       Event("minigame_play", "m1", "a", "2026-12-05T10:00:00Z", R"("game":"wheel")") +
                           Event("mission_opt_in", "o1", "a", "2026-12-05T10:01:00Z", R"("mission":"twice")") +
                           Event("mission_opt_in", "o2", "a", "2026-12-05T10:02:00Z", R"("mission":"twice")"));
  CHECK(r.Count({"\"event\":\"m1\"", "\"reason\":\"no_attempts\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"played\""}) == 0);
  CHECK(r.Count({"\"bonus\":\"flowed\""}) == 0);
  CHECK(r.state.find("\"plays\":0") != std::string::npos);
  // The second opt-in is answered first: already started, so it counts for no task.
  CHECK(r.Count({"\"event\":\"o2\"", "\"reason\":\"already_started\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"twice\""}) == 0);
}

TEST_CASE("state says what is current: the last window's result, this period's purchases", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
leaderboard weekly_race { score count(bet)  period weekly }
item spins { price 1 points  limit 1 per day  on purchase { grant bonus "spins" } }
rule pts on deposit { award points 10 })") + kPolicy,
                       Bet("b1", "a", "2026-12-01T10:00:00Z", "1") + Bet("b2", "b", "2026-12-01T10:00:00Z", "1") +
                           Bet("b3", "b", "2026-12-01T11:00:00Z", "1") + Deposit("d1", "a", "2026-12-06T09:00:00Z", 1) +
                           Event("store_purchase", "s1", "a", "2026-12-06T10:00:00Z", R"("item":"spins")"),
                       "2026-12-08T12:00:00Z");
  CHECK(r.state.find("\"weekly_race\":{\"last\":{\"score\":1,\"rank\":2}}") != std::string::npos);
  CHECK(r.state.find("\"weekly_race\":{\"last\":{\"score\":2,\"rank\":1}}") != std::string::npos);
  CHECK(r.state.find("\"purchases\":{\"spins\":1}") == std::string::npos);   // that day is over
}

TEST_CASE("a blocked action says what it blocked", "[engine][money]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule r on deposit { grant bonus "fs_20"  award points 50  send email "welcome" }
policy mk { block messages when not profile.marketing_opt_in })") + kPolicy,
                       Event("profile_update", "p1", "a", "2026-12-05T09:00:00Z", R"("self_excluded":true)") +
                           Deposit("d1", "a", "2026-12-05T10:00:00Z", 1));
  CHECK(r.Count({"\"action\":\"blocked\"", "\"blocked\":\"bonus\"", "\"bonus\":\"fs_20\""}) == 1);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"blocked\":\"award\"", "\"currency\":\"points\"", "\"amount\":50"}) == 1);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"blocked\":\"send\"", "\"channel\":\"email\"", "\"template\":\"welcome\""}) ==
        1);
}
