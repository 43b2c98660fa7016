// Missions that fit real operators (LANGUAGE.md §7, §11; issue 13 items 4,
// 5, 7): a recurring instance starts fresh, missions count only what they
// should, and nothing is announced that did not happen.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Deposit(const std::string& id, const std::string& user, const std::string& ts) {
  return Event("deposit", id, user, ts, "\"amount\":10");
}

}  // namespace

TEST_CASE("nobody is told they reached the level everyone starts at", "[engine][missions]") {
  auto r = RunScenario(std::string("level bronze { at 0 }\nlevel silver { at 100 }\nrule r on deposit { award points 100 }") +
                           kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z"));
  CHECK(r.Count({"\"level\":\"bronze\""}) == 0);
  CHECK(r.Count({"\"action\":\"level_up\"", "\"level\":\"silver\""}) == 1);
}

TEST_CASE("a generally available mission says nothing until an event counts for it", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
mission daily_spins { recurring daily  task t "bets" { count(bet) >= 3 }  reward { grant bonus "d" } })") + kPolicy,
                       Event("login", "l1", "idle", "2026-12-01T10:00:00Z") +
                           Bet("b1", "a", "2026-12-01T10:00:00Z", "1") +
                           Event("login", "l2", "idle", "2026-12-03T10:00:00Z"),
                       "2026-12-05T00:00:00Z");
  CHECK(r.Count({"\"user\":\"idle\"", "\"action\":\"mission\""}) == 0);
  // a's one bet counted: started then, expired at midnight; later days say nothing.
  CHECK(r.Count({"\"user\":\"a\"", "\"state\":\"started\"", "\"ts\":\"2026-12-01T10:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"state\":\"expired\"", "\"ts\":\"2026-12-02T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"mission\""}) == 2);
}

TEST_CASE("a recurring opt-in mission's next instance starts at zero", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
mission weekly_m { opt_in  recurring weekly  task t "bet" { count(bet) >= 1 }  reward { grant bonus "w" } })") + kPolicy,
                       Event("mission_opt_in", "o1", "a", "2026-12-01T10:00:00Z", R"("mission":"weekly_m")") +
                           Bet("b1", "a", "2026-12-01T11:00:00Z", "1") + Event("login", "l1", "a", "2026-12-08T10:00:00Z"));
  CHECK(r.Count({"\"bonus\":\"w\""}) == 1);
  CHECK(r.state.find("\"weekly_m\":{\"state\":\"available\",\"completions\":1,\"tasks\":{\"t\":{\"value\":0") !=
        std::string::npos);
  CHECK(r.state.find("\"done\":true") == std::string::npos);
}

TEST_CASE("a mission counts an event only while the player is in its audience", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
segment vip = profile.vip
mission vip_m { audience vip  task t "bets" { count(bet) >= 3 }  reward { grant bonus "vip" } })") + kPolicy,
                       Event("profile_update", "p1", "a", "2026-12-01T09:00:00Z", R"("vip":true)") +
                           Bet("b1", "a", "2026-12-01T10:00:00Z", "1") +
                           Event("profile_update", "p2", "a", "2026-12-01T10:30:00Z", R"("vip":false)") +
                           Bet("b2", "a", "2026-12-01T11:00:00Z", "1") + Bet("b3", "a", "2026-12-01T12:00:00Z", "1"));
  CHECK(r.Count({"\"bonus\":\"vip\""}) == 0);
}

TEST_CASE("a mission unlocked before its active window counts the first event inside it", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
mission xmas { unlock on deposit  active 2026-12-05T00:00Z .. 2026-12-10T00:00Z
  task t "bet" { count(bet) >= 1 }  reward { grant bonus "xmas" } })") + kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z") + Bet("b1", "a", "2026-12-06T10:00:00Z", "1"));
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"xmas\""}) == 1);
}

TEST_CASE("a recurring unlocked mission's instance starts at its period's start", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
mission daily_unlocked { unlock on deposit  recurring daily  time_limit 12h
  task t "bet" { count(bet) >= 1 }  reward { grant bonus "du" } })") + kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z") + Bet("b1", "a", "2026-12-02T09:00:00Z", "1") +
                           Bet("b2", "a", "2026-12-03T13:00:00Z", "1"));
  // 12-02 09:00 is inside that day's instance (00:00 + 12h): it counts.
  CHECK(r.Count({"\"event\":\"b1\"", "\"bonus\":\"du\""}) == 1);
  // 12-03 13:00 is after that day's 12 hours: nothing counts, nothing is said.
  CHECK(r.Count({"\"event\":\"b2\"", "\"bonus\":\"du\""}) == 0);
}

TEST_CASE("an int count against a decimal threshold completes, and percent agrees with done", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
mission m { task half "bets" { count(bet) >= 2.5 }  task more "more than two" { count(bet) > 2 }
  task rate "dynamic" { count(bet) >= avg_dep }  reward { grant bonus "m" } }
metric avg_dep = avg(deposit.amount))") + kPolicy,
                       Event("deposit", "d1", "a", "2026-12-01T09:00:00Z", "\"amount\":4") +
                           Bet("b1", "a", "2026-12-01T10:00:00Z", "1") + Bet("b2", "a", "2026-12-01T10:01:00Z", "1"));
  // Two bets: `> 2` is not done, so it is not 100%; the dynamic threshold shows.
  CHECK(r.state.find("\"more\":{\"value\":2,\"threshold\":2,\"percent\":99,\"done\":false}") != std::string::npos);
  CHECK(r.state.find("\"rate\":{\"value\":2,\"threshold\":4,\"percent\":50,\"done\":false}") != std::string::npos);
  auto done = RunScenario(std::string(R"(settings { timezone "UTC" }
mission m { task half "bets" { count(bet) >= 2.5 }  reward { grant bonus "m" } })") + kPolicy,
                          Bet("b1", "a", "2026-12-01T10:00:00Z", "1") + Bet("b2", "a", "2026-12-01T10:01:00Z", "1") +
                              Bet("b3", "a", "2026-12-01T10:02:00Z", "1"));
  CHECK(done.Count({"\"bonus\":\"m\""}) == 1);
}

// `given` missions: tests/engine/scenarios/given_missions (scenario tests as data).
