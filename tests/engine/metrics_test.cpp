// Every aggregate and window kind, read back through the state.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

TEST_CASE("aggregates over lifetime, sliding and calendar windows", "[engine][metrics]") {
  auto r = RunScenario(R"(settings { timezone "UTC" }
metric n_total   = count(deposit)
metric sum_30d   = sum(deposit.amount) over last 30d
metric n_today   = count(deposit) over today
metric n_week    = count(deposit) over this week
metric n_month   = count(deposit) over this month
metric smallest  = min(deposit.amount)
metric biggest   = max(deposit.amount)
metric average   = avg(deposit.amount)
metric firsts    = first(deposit.method)
metric lasts     = last(deposit.ts)
metric method    = top(deposit.method)
metric days      = distinct_days(deposit) over last 30d
metric streak    = streak_days(deposit)
metric weeks     = streak_weeks(deposit)
metric big_ones  = count(deposit where deposit.amount >= 50)
metric never     = max(withdrawal.amount)
segment all_used = n_total + n_today + n_week + n_month + days + streak + weeks + big_ones > 0
  and sum_30d > 0 and has(smallest) and has(biggest) and has(average) and has(firsts) and has(lasts)
  and has(method) and not has(never)
flow f { on enter all_used })",
                       Event("deposit", "d1", "u", "2026-10-15T10:00:00Z", R"("amount":100,"method":"card")") +
                           Event("deposit", "d2", "u", "2026-11-29T10:00:00Z", R"("amount":20,"method":"btc")") +
                           Event("deposit", "d3", "u", "2026-11-30T10:00:00Z", R"("amount":30.5,"method":"btc")") +
                           Event("deposit", "d4", "u", "2026-12-01T09:00:00Z", R"("amount":50,"method":"card")") +
                           Event("deposit", "d5", "u", "2026-12-01T10:00:00Z", R"("amount":10,"method":"btc")"));
  const std::string& s = r.state;
  auto has = [&](const char* text) {
    INFO(text << "\n" << s);
    CHECK(s.find(text) != std::string::npos);
  };
  has("\"n_total\":5");
  has("\"sum_30d\":110.5");          // d1 is outside the last 30 days
  has("\"n_today\":2");
  has("\"n_week\":3");               // 2026-11-30 is a Monday
  has("\"n_month\":2");
  has("\"smallest\":10");
  has("\"biggest\":100");
  has("\"average\":42.1");           // 210.5 / 5
  has("\"firsts\":\"card\"");
  has("\"lasts\":\"2026-12-01T10:00:00Z\"");
  has("\"method\":\"btc\"");          // three btc against two card
  has("\"days\":3");
  has("\"streak\":3");
  has("\"weeks\":2");
  has("\"big_ones\":2");
  has("\"never\":null");
  has("\"segments\":[\"all_used\"]");
}

TEST_CASE("tags, give mission and attempts are applied and reported", "[engine]") {
  auto r = RunScenario(R"(minigame wheel { cost 1 attempt  prize p weight 1 }
mission vip { opt_in  audience profile.vip  task t { count(bet) >= 1 } }
rule welcome on registration { tag "new"  give attempts wheel 2  give mission vip }
rule verified on deposit { untag "new" }
policy rg { block rewards when profile.self_excluded })",
                       Event("registration", "r1", "u", "2026-12-01T10:00:00Z") +
                           Event("mission_opt_in", "o1", "u", "2026-12-01T10:01:00Z", R"("mission":"vip")") +
                           Event("deposit", "d1", "u", "2026-12-01T11:00:00Z", R"("amount":10)"));
  CHECK(r.Count({"\"action\":\"tag\"", "\"tag\":\"new\"", "\"op\":\"add\""}) == 1);
  CHECK(r.Count({"\"action\":\"tag\"", "\"op\":\"remove\""}) == 1);
  CHECK(r.Count({"\"action\":\"attempts\"", "\"game\":\"wheel\"", "\"total\":2"}) == 1);
  // `give mission` features it for this player even outside its audience.
  CHECK(r.Count({"\"event\":\"o1\"", "\"mission\":\"vip\"", "\"state\":\"started\""}) == 1);
  CHECK(r.state.find("\"tags\":[]") != std::string::npos);
}

TEST_CASE("top breaks a tie by the value seen first, whatever the package names", "[engine][metrics]") {
  // Level names are strings too: they must not take ids (which order ties)
  // before the events that use the same words.
  auto r = RunScenario(R"(level bronze { at 0 }
level silver { at 100 }
metric fav = top(bet.game))",
                       Event("bet", "b1", "u", "2026-12-01T10:00:00Z",
                             R"("game":"silver","provider":"p","game_type":"slots","amount":1,"currency":"EUR","device":"mobile")") +
                           Event("bet", "b2", "u", "2026-12-01T10:01:00Z",
                                 R"("game":"bronze","provider":"p","game_type":"slots","amount":1,"currency":"EUR","device":"mobile")"));
  INFO(r.state);
  CHECK(r.state.find("\"fav\":\"silver\"") != std::string::npos);
}

TEST_CASE("top's tie goes to the value the player reached that count with first", "[engine][metrics]") {
  // Not to the value interned first: "zeta" is a package literal, and w's "alpha"
  // arrives before u's values; u reaches one "omega" before one "zeta", and two
  // "y" before two "x" (x came first, but its second came later).
  auto bet = [](const std::string& id, const std::string& user, const std::string& ts, const std::string& game) {
    return Event("bet", id, user, ts,
                 R"("game":")" + game + R"(","provider":"p","game_type":"slots","amount":1,"currency":"EUR","device":"mobile")");
  };
  auto r = RunScenario(R"(metric fav = top(bet.game)
metric fav_today = top(bet.game) over today
rule zeta_fan on bet where bet.game == "zeta" { tag "zeta" }
policy rg { block rewards when profile.self_excluded })",
                       bet("w1", "w", "2026-12-01T09:00:00Z", "alpha") + bet("u1", "u", "2026-12-01T10:00:00Z", "omega") +
                           bet("u2", "u", "2026-12-01T10:01:00Z", "zeta") + bet("v1", "v", "2026-12-01T10:02:00Z", "beta") +
                           bet("v2", "v", "2026-12-01T10:03:00Z", "alpha") + bet("x1", "x", "2026-12-01T10:04:00Z", "x") +
                           bet("x2", "x", "2026-12-01T10:05:00Z", "y") + bet("x3", "x", "2026-12-01T10:05:00Z", "y") +
                           bet("x4", "x", "2026-12-01T10:06:00Z", "x"));
  INFO(r.state);
  auto fav_of = [&](const std::string& user) {
    size_t at = r.state.find("\"user\":\"" + user + "\"");
    REQUIRE(at != std::string::npos);
    size_t fav = r.state.find("\"fav\":", at);
    REQUIRE(fav != std::string::npos);
    return r.state.substr(fav, r.state.find(',', fav) - fav);
  };
  CHECK(fav_of("u") == "\"fav\":\"omega\"");
  CHECK(fav_of("v") == "\"fav\":\"beta\"");
  CHECK(fav_of("x") == "\"fav\":\"y\"");
  CHECK(r.state.find("\"fav_today\":\"omega\"") != std::string::npos);
}
