// Rules, caps, limits, levels, badges, policies, duplicates and late events.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}

TEST_CASE("a daily cap cuts an award to what is left, and resets the next day", "[engine]") {
  auto r = RunScenario(std::string(R"(settings { timezone "Europe/Malta" }
rule slot_points on bet { award points floor(bet.amount)  cap 100 points per day })") + kPolicy,
                       Bet("e1", "u1", "2026-12-01T10:00:00Z", "60") + Bet("e2", "u1", "2026-12-01T11:00:00Z", "60") +
                           Bet("e3", "u1", "2026-12-01T12:00:00Z", "60") +
                           // 23:30 UTC is 00:30 in Malta: a new local day.
                           Bet("e4", "u1", "2026-12-01T23:30:00Z", "60"));
  CHECK(r.Count({"\"event\":\"e1\"", "\"amount\":60"}) == 1);
  CHECK(r.Count({"\"event\":\"e2\"", "\"amount\":40", "\"balance\":100"}) == 1);
  CHECK(r.Count({"\"event\":\"e3\"", "\"action\":\"award\""}) == 0);
  CHECK(r.Count({"\"event\":\"e4\"", "\"amount\":60", "\"balance\":160"}) == 1);
}

TEST_CASE("a limit bounds how often a rule fires per period", "[engine]") {
  auto r = RunScenario(std::string("rule gift on deposit { grant bonus \"fs\"  limit 2 per week }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d2", "u", "2026-12-02T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d3", "u", "2026-12-03T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d4", "u", "2026-12-08T10:00:00Z", R"("amount":10)"));
  CHECK(r.Count({"\"action\":\"bonus\""}) == 3);
  CHECK(r.Count({"\"event\":\"d3\""}) == 0);
}

TEST_CASE("a level reached by a reward inside the same event", "[engine]") {
  auto r = RunScenario(std::string(R"(level bronze { at 0 }
level silver { at 100  on reach { grant bonus "silver" } }
rule big on deposit { award points 150 })") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  REQUIRE(r.Count({"\"level\":\"silver\"", "\"action\":\"level_up\""}) == 1);
  CHECK(r.Count({"\"event\":\"d1\"", "\"bonus\":\"silver\""}) == 1);
  CHECK(r.state.find("\"level\":\"silver\"") != std::string::npos);
}

TEST_CASE("a badge over a sliding window", "[engine]") {
  auto pkg = std::string(R"(metric logins_3d = count(login) over last 3d
badge regular { when logins_3d >= 3  on earn { award points 10 } })") + kPolicy;
  // Three logins spread over five days never fall in one 3-day window...
  auto spread = RunScenario(pkg, Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                                     Event("login", "l2", "u", "2026-12-03T12:00:00Z") +
                                     Event("login", "l3", "u", "2026-12-05T14:00:00Z"));
  CHECK(spread.Count({"\"action\":\"badge\""}) == 0);
  // ...three within two days do, once.
  auto close = RunScenario(pkg, Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                                    Event("login", "l2", "u", "2026-12-02T10:00:00Z") +
                                    Event("login", "l3", "u", "2026-12-03T09:00:00Z") +
                                    Event("login", "l4", "u", "2026-12-03T10:00:00Z"));
  CHECK(close.Count({"\"action\":\"badge\"", "\"event\":\"l3\""}) == 1);
  CHECK(close.Count({"\"action\":\"badge\""}) == 1);
}

TEST_CASE("a self-excluded player's rewards are blocked with the policy's name", "[engine]") {
  auto r = RunScenario(std::string("rule r on deposit { award points 10  grant bonus \"fs\" }") + kPolicy,
                       Event("profile_update", "p1", "u", "2026-12-01T09:00:00Z", R"("self_excluded":true)") +
                           Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  CHECK(r.Count({"\"action\":\"blocked\"", "\"policy\":\"rg\"", "\"blocked\":\"award\""}) == 1);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"blocked\":\"bonus\""}) == 1);
  CHECK(r.Count({"\"action\":\"award\""}) == 0);
  CHECK(r.state.find("\"points\":0") != std::string::npos);
}

TEST_CASE("a duplicate event id is ignored and counted", "[engine]") {
  auto r = RunScenario(std::string("rule r on deposit { award points 10 }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  CHECK(r.Count({"\"action\":\"award\""}) == 1);
  CHECK(r.stats.duplicates == 1);
}

TEST_CASE("a late event is processed at the clock", "[engine]") {
  auto r = RunScenario(std::string("rule r on deposit { award points 10 }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-02T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d0", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  CHECK(r.stats.late == 1);
  CHECK(r.Count({"\"event\":\"d0\"", "\"ts\":\"2026-12-02T10:00:00Z\""}) == 1);
}

TEST_CASE("messages in quiet hours are released when they end", "[engine]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule hello on login { send push "hi" }
policy quiet { quiet_hours 22:00-08:00 for push  cap messages 1 per day })") + kPolicy,
                       Event("login", "l1", "u", "2026-12-01T23:00:00Z") + Event("login", "l2", "u", "2026-12-02T09:00:00Z") +
                           Event("login", "l3", "u", "2026-12-02T10:00:00Z"),
                       "2026-12-03T00:00:00Z");
  CHECK(r.Count({"\"action\":\"send\"", "\"event\":\"l1\"", "\"ts\":\"2026-12-02T08:00:00Z\""}) == 1);
  // The held message was delivered on 2026-12-02 and counts there: the day's
  // later messages are over the cap of one per day.
  CHECK(r.Count({"\"action\":\"blocked\"", "\"event\":\"l2\"", "\"reason\":\"message_cap\""}) == 1);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"event\":\"l3\"", "\"reason\":\"message_cap\""}) == 1);
}

TEST_CASE("balances and points saturate at the int64 bound instead of wrapping", "[engine]") {
  auto r = RunScenario(std::string("rule huge on deposit { award points 5000000000000000000 }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":10)"));
  CHECK(r.Count({"\"event\":\"d2\"", "\"balance\":9223372036854775807"}) == 1);
  CHECK(r.state.find(R"("points":9223372036854775807,"points_ever":9223372036854775807)") != std::string::npos);
}
