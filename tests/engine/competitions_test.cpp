// Leaderboards and tournaments: happy hours, ties, one payout per window,
// registration.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
const char* kTournament = R"(settings { timezone "UTC" }
tournament cup {
  window 2026-12-05T00:00Z .. 2026-12-07T00:00Z
  score sum(bet.amount where bet.game_type == "slots")
  happy_hours { sat 10:00-16:00 x2 }
  prizes { 1: grant bonus "first"  2: grant bonus "second" }
})";
}  // namespace

TEST_CASE("a happy hour doubles a score, and a tie goes to who reached it first", "[engine][competitions]") {
  // 2026-12-05 is a Saturday. a scores 10 inside the happy hour (x2 = 20);
  // b scores 20 outside it but later: a tie on 20, a reached it first.
  auto r = RunScenario(std::string(kTournament) + kPolicy,
                       Bet("b1", "a", "2026-12-05T11:00:00Z", "10") + Bet("b2", "b", "2026-12-05T17:00:00Z", "20") +
                           Bet("b3", "c", "2026-12-05T18:00:00Z", "5", "live_casino"),
                       "2026-12-08T00:00:00Z");
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"tournament\"", "\"rank\":1", "\"score\":20"}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"rank\":2"}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"first\"", "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"second\""}) == 1);
  // c's live-casino bet does not score.
  CHECK(r.Count({"\"user\":\"c\"", "\"action\":\"tournament\""}) == 0);
}

TEST_CASE("prizes are not paid twice when the clock passes the window end again", "[engine][competitions]") {
  auto r = RunScenario(std::string(kTournament) + kPolicy,
                       Bet("b1", "a", "2026-12-05T11:00:00Z", "10") + Bet("b2", "a", "2026-12-07T01:00:00Z", "10") +
                           Bet("b3", "a", "2026-12-06T23:00:00Z", "10") + Bet("b4", "a", "2026-12-09T00:00:00Z", "10"),
                       "2026-12-20T00:00:00Z");
  CHECK(r.Count({"\"bonus\":\"first\""}) == 1);
}

TEST_CASE("a weekly points leaderboard pays at the period's end and starts again", "[engine][competitions]") {
  auto r = RunScenario(std::string(R"(leaderboard weekly_race { score points_earned  period weekly  prizes { 1: grant bonus "top" } }
rule pts on deposit { award points floor(deposit.amount) })") + kPolicy,
                       Event("deposit", "d1", "a", "2026-12-01T10:00:00Z", R"("amount":50)") +
                           Event("deposit", "d2", "b", "2026-12-02T10:00:00Z", R"("amount":80)") +
                           Event("deposit", "d3", "a", "2026-12-08T10:00:00Z", R"("amount":10)"),
                       "2026-12-15T00:00:00Z");
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"top\"", "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"top\"", "\"ts\":\"2026-12-14T00:00:00Z\""}) == 1);
  // Mid-window, the state shows each player's score and rank.
  auto mid = RunScenario(std::string(R"(leaderboard weekly_race { score points_earned  period weekly  prizes { 1: grant bonus "top" } }
rule pts on deposit { award points floor(deposit.amount) })") + kPolicy,
                         Event("deposit", "d1", "a", "2026-12-01T10:00:00Z", R"("amount":50)") +
                             Event("deposit", "d2", "b", "2026-12-02T10:00:00Z", R"("amount":80)"));
  CHECK(mid.state.find("\"user\":\"a\"") < mid.state.find("\"weekly_race\":{\"score\":50,\"rank\":2}"));
  CHECK(mid.state.find("\"weekly_race\":{\"score\":80,\"rank\":1}") != std::string::npos);
}

TEST_CASE("tournament registration: buy-in, and every rejection reason", "[engine][competitions]") {
  auto reg = [](const std::string& id, const std::string& user, const std::string& ts, const std::string& t) {
    return Event("tournament_register", id, user, ts, "\"tournament\":\"" + t + "\"");
  };
  auto r = RunScenario(std::string(R"(segment vip = profile.vip
tournament cup {
  audience not vip
  window every week sat 00:00 .. mon 00:00
  register buy_in 100 points
  score count(bet)
  max_players 1
}
tournament open_cup { window every day 00:00 .. 23:00  score count(bet) }
tournament old_cup { window 2026-11-01T00:00Z .. 2026-11-02T00:00Z  register  score count(bet) }
rule pts on deposit { award points 150 }
flow f { on enter vip })") + kPolicy,
                       Event("deposit", "d1", "a", "2026-12-04T10:00:00Z", R"("amount":1)") +
                           reg("r0", "a", "2026-12-04T11:00:00Z", "cupp") +
                           reg("r3", "z", "2026-12-04T11:00:30Z", "cup") +          // no points
                           reg("r1", "a", "2026-12-04T11:01:00Z", "cup") +          // Friday: for Saturday's window
                           reg("r8", "a", "2026-12-04T11:02:00Z", "old_cup") +      // that window is over
                           reg("r2", "a", "2026-12-05T11:00:00Z", "open_cup") +
                           reg("r4", "a", "2026-12-05T11:02:00Z", "cup") +
                           reg("r5", "a", "2026-12-05T11:03:00Z", "cup") +
                           Event("deposit", "d2", "b", "2026-12-05T11:04:00Z", R"("amount":1)") +
                           reg("r6", "b", "2026-12-05T11:05:00Z", "cup") +
                           Event("profile_update", "p1", "v", "2026-12-05T11:06:00Z", R"("vip":true)") +
                           reg("r7", "v", "2026-12-05T11:07:00Z", "cup"));
  CHECK(r.Count({"\"event\":\"r0\"", "\"reason\":\"unknown_tournament\""}) == 1);
  CHECK(r.Count({"\"event\":\"r1\"", "\"state\":\"registered\"", "\"buy_in\":100", "\"balance\":50"}) == 1);
  CHECK(r.Count({"\"event\":\"r8\"", "\"reason\":\"outside_window\""}) == 1);
  CHECK(r.Count({"\"event\":\"r2\"", "\"reason\":\"no_registration_needed\""}) == 1);
  CHECK(r.Count({"\"event\":\"r3\"", "\"reason\":\"insufficient_balance\""}) == 1);
  CHECK(r.Count({"\"event\":\"r4\"", "\"reason\":\"already_registered\""}) == 1);
  CHECK(r.Count({"\"event\":\"r5\"", "\"reason\":\"already_registered\""}) == 1);
  CHECK(r.Count({"\"event\":\"r6\"", "\"reason\":\"full\""}) == 1);
  CHECK(r.Count({"\"event\":\"r7\"", "\"reason\":\"not_in_audience\""}) == 1);
  CHECK(r.state.find("\"user\":\"a\",\"points\":50") != std::string::npos);
}
