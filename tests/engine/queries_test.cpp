// The engine's views for the daemon (Engine::UserStateJson, LeaderboardJson,
// MissionStatsJson): answers a scenario cannot ask for, since they are not
// actions or the whole state.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline;
using namespace questline::testing;

TEST_CASE("the daemon's views of one player, a leaderboard and a mission", "[engine][queries]") {
  ir::Program program = testing::LowerPackage(R"(
leaderboard race { score sum(bet.amount)  period weekly }
mission two_bets {
  task first { count(bet) >= 1 }
  task second { count(bet) >= 2 }
  reward { award points 10 }
  max_completions 1
})");
  HandEngine run(program);
  engine::Engine& engine = run.engine;
  run.Feed(Bet("b1", "ann", "2026-12-01T10:00:00Z", "5") + Bet("b2", "bob", "2026-12-01T10:01:00Z", "9") +
           Bet("b3", "ann", "2026-12-01T10:02:00Z", "7") + Bet("b4", "cat", "2026-12-01T10:03:00Z", "9"));

  // One player's object is the same bytes as in the whole state.
  std::string ann;
  REQUIRE(engine.UserStateJson("ann", &ann));
  CHECK(ann.rfind("{\"user\":\"ann\",\"points\":10,", 0) == 0);
  CHECK(engine.StateJson().find(ann) != std::string::npos);
  std::string none;
  CHECK_FALSE(engine.UserStateJson("nobody", &none));

  // Ann 12, then bob and cat at 9: bob reached it first.
  std::string board;
  REQUIRE(engine.LeaderboardJson("race", 2, &board));
  CHECK(board == R"({"leaderboard":"race","entries":[{"rank":1,"user":"ann","score":12},)"
                 R"({"rank":2,"user":"bob","score":9}]})");
  CHECK_FALSE(engine.LeaderboardJson("no_such", 10, &board));

  std::string stats;
  REQUIRE(engine.MissionStatsJson("two_bets", &stats));
  CHECK(stats == R"({"mission":"two_bets","players":3,"locked":0,"available":0,"started":2,"completed":1,)"
                 R"("expired":0,"completions":1,"tasks":{"first":3,"second":1}})");
  CHECK_FALSE(engine.MissionStatsJson("no_such", &stats));
}

TEST_CASE("fires are counted per rule, a limit's refusals not", "[engine][queries]") {
  ir::Program program = testing::LowerPackage(R"(
rule any_bet on bet { award points 1 }
rule big_bet on bet where bet.amount >= 8 { award points 2 }
rule once on bet { award points 3  limit 1 per day })");
  HandEngine run(program);
  run.Feed(Bet("b1", "ann", "2026-12-01T10:00:00Z", "5") + Bet("b2", "ann", "2026-12-01T10:01:00Z", "9") +
           Bet("b3", "bob", "2026-12-01T10:02:00Z", "9"));
  const engine::Engine& engine = run.engine;
  CHECK(engine.Stats().rule_fires == std::vector<uint64_t>{3, 2, 2});
}
