// Missions: unlocks, opt-in, time limits, recurrence in a non-UTC timezone.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}

TEST_CASE("the event that unlocks a mission does not count toward its tasks", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(mission welcome {
  unlock on deposit where deposit.amount >= 20
  task deposits { count(deposit) >= 2 }
  reward { award points 100 }
})") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":25)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":25)"));
  CHECK(r.Count({"\"action\":\"unlock\"", "\"event\":\"d1\""}) == 1);
  CHECK(r.Count({"\"state\":\"started\"", "\"event\":\"d1\""}) == 1);
  CHECK(r.Count({"\"state\":\"completed\""}) == 0);
  CHECK(r.state.find("\"deposits\":{\"value\":1,") != std::string::npos);
}

TEST_CASE("an opt-in mission expires at its time limit when --until passes it", "[engine][missions]") {
  auto pkg = std::string(R"(mission sprint { opt_in  time_limit 2d  task bets { count(bet) >= 5 } })") + kPolicy;
  auto events = Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                Event("mission_opt_in", "o1", "u", "2026-12-01T11:00:00Z", R"("mission":"sprint")") +
                Bet("b1", "u", "2026-12-01T12:00:00Z", "1");
  auto before = RunScenario(pkg, events, "2026-12-03T10:59:59Z");
  CHECK(before.Count({"\"state\":\"expired\""}) == 0);
  auto after = RunScenario(pkg, events, "2026-12-03T11:00:00Z");
  REQUIRE(after.Count({"\"state\":\"expired\""}) == 1);
  CHECK(after.Count({"\"state\":\"expired\"", "\"ts\":\"2026-12-03T11:00:00Z\""}) == 1);
  CHECK(after.state.find("\"state\":\"expired\"") != std::string::npos);
}

TEST_CASE("opt-in requests are answered: accepted, or rejected with a reason", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(segment vip = profile.vip
mission vip_only { opt_in  audience vip  task t { count(bet) >= 1 } }
mission open_one { opt_in  task t { count(bet) >= 1 } }
mission automatic { task t { count(bet) >= 1 } }
flow f { on enter vip })") + kPolicy,
                       Event("mission_opt_in", "o1", "u", "2026-12-01T10:00:00Z", R"("mission":"nope")") +
                           Event("mission_opt_in", "o2", "u", "2026-12-01T10:01:00Z", R"("mission":"vip_only")") +
                           Event("mission_opt_in", "o3", "u", "2026-12-01T10:02:00Z", R"("mission":"open_one")") +
                           Event("mission_opt_in", "o4", "u", "2026-12-01T10:03:00Z", R"("mission":"open_one")") +
                           Event("mission_opt_in", "o5", "u", "2026-12-01T10:04:00Z", R"("mission":"automatic")"));
  CHECK(r.Count({"\"event\":\"o1\"", "\"reason\":\"unknown_mission\""}) == 1);
  CHECK(r.Count({"\"event\":\"o2\"", "\"reason\":\"not_in_audience\""}) == 1);
  CHECK(r.Count({"\"event\":\"o3\"", "\"mission\":\"open_one\"", "\"state\":\"started\""}) == 1);
  CHECK(r.Count({"\"event\":\"o4\"", "\"reason\":\"already_started\""}) == 1);
  CHECK(r.Count({"\"event\":\"o5\"", "\"reason\":\"no_opt_in_needed\""}) == 1);
}

TEST_CASE("a weekly mission recurs at the week boundary of the package's timezone", "[engine][missions]") {
  // Weeks start on Monday in Auckland (UTC+13 in December): Sunday 2026-12-06T11:30Z
  // is already Monday 00:30 there, a new week.
  auto pkg = std::string(R"(settings { timezone "Pacific/Auckland"  week_starts mon }
mission weekly_spins { recurring weekly  task spins { count(bet) >= 2 }  reward { award points 10 } })") + kPolicy;
  auto r = RunScenario(pkg, Bet("b1", "u", "2026-12-06T10:00:00Z", "1") + Bet("b2", "u", "2026-12-06T11:30:00Z", "1") +
                                Bet("b3", "u", "2026-12-06T12:00:00Z", "1"));
  // b1 alone in the old week: expired at the boundary, Monday 00:00 in Auckland;
  // b2 and b3 complete the new week's instance.
  CHECK(r.Count({"\"state\":\"expired\"", "\"ts\":\"2026-12-06T11:00:00Z\"", "\"event\":\"timer:"}) == 1);
  CHECK(r.Count({"\"event\":\"b3\"", "\"action\":\"mission\"", "\"state\":\"completed\""}) == 1);
  // In UTC the same bets are one week: b2 completes it.
  auto utc = RunScenario(std::string(R"(mission weekly_spins { recurring weekly  task spins { count(bet) >= 2 }  reward { award points 10 } })") + kPolicy,
                         Bet("b1", "u", "2026-12-06T10:00:00Z", "1") + Bet("b2", "u", "2026-12-06T11:30:00Z", "1"));
  CHECK(utc.Count({"\"event\":\"b2\"", "\"action\":\"mission\"", "\"state\":\"completed\""}) == 1);
}

TEST_CASE("ordered tasks count one at a time; rewards run task first, then mission", "[engine][missions]") {
  auto r = RunScenario(std::string(R"(mission path {
  ordered
  task first { count(login) >= 1  award points 1 }
  task second { count(login) >= 2  award points 2 }
  reward { award points 10 }
  max_completions 1
})") + kPolicy,
                       Event("login", "l1", "u", "2026-12-01T10:00:00Z") + Event("login", "l2", "u", "2026-12-01T11:00:00Z") +
                           Event("login", "l3", "u", "2026-12-01T12:00:00Z"));
  CHECK(r.Count({"\"event\":\"l1\"", "\"task\":\"first\""}) == 1);
  // `second` starts counting only after `first` is done: l2 is its first login, l3 its second.
  CHECK(r.Count({"\"event\":\"l2\"", "\"task\":\"second\""}) == 0);
  CHECK(r.Count({"\"event\":\"l3\"", "\"task\":\"second\""}) == 1);
  CHECK(r.Count({"\"event\":\"l3\"", "\"action\":\"mission\"", "\"state\":\"completed\""}) == 1);
}

