// Local times of day on the days clocks change (LANGUAGE.md §10): windows,
// `every … at`, quiet hours and day starts are computed in settings.timezone
// on that very day, not as local midnight plus a fixed number of minutes.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}  // namespace

TEST_CASE("a recurring tournament window opens and closes at local times on a DST day", "[engine][local_time]") {
  // 2026-03-29 is a Sunday; Malta moves from UTC+1 to UTC+2 at 01:00Z, so
  // sun 10:00 .. sun 22:00 is 08:00Z .. 20:00Z that day.
  auto r = RunScenario(std::string(R"(settings { timezone "Europe/Malta" }
tournament sunday_cup {
  window every week sun 10:00 .. sun 22:00
  score count(bet)
  prizes { 1: grant bonus "first" }
})") + kPolicy,
                       Bet("b1", "a", "2026-03-29T08:30:00Z", "1") +   // 10:30 local: inside
                           Bet("b2", "b", "2026-03-29T20:30:00Z", "1"),    // 22:30 local: after the close
                       "2026-03-30T00:00:00Z");
  INFO(r.state);
  CHECK(r.Count({"\"user\":\"a\"", "\"action\":\"tournament\"", "\"rank\":1", "\"ts\":\"2026-03-29T20:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"first\"", "\"ts\":\"2026-03-29T20:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"action\":\"tournament\""}) == 0);
}

TEST_CASE("`every day at` runs at that local time on the days clocks change", "[engine][local_time]") {
  const std::string pkg = std::string(R"(settings { timezone "Europe/Malta" }
flow daily_tip { every day at 10:00  send inbox "tip" })") + kPolicy;
  // Spring forward: 10:00 is 09:00Z the day before (UTC+1) and 08:00Z on 03-29 (UTC+2).
  auto spring = RunScenario(pkg, Event("profile_update", "p1", "u", "2026-03-28T06:00:00Z"), "2026-03-30T00:00:00Z");
  CHECK(spring.Count({"\"template\":\"tip\"", "\"ts\":\"2026-03-28T09:00:00Z\""}) == 1);
  CHECK(spring.Count({"\"template\":\"tip\"", "\"ts\":\"2026-03-29T08:00:00Z\""}) == 1);
  CHECK(spring.Count({"\"template\":\"tip\""}) == 2);
  // Fall back: 08:00Z the day before (UTC+2) and 09:00Z on 10-25 (UTC+1).
  auto fall = RunScenario(pkg, Event("profile_update", "p1", "u", "2026-10-24T06:00:00Z"), "2026-10-26T00:00:00Z");
  CHECK(fall.Count({"\"template\":\"tip\"", "\"ts\":\"2026-10-24T08:00:00Z\""}) == 1);
  CHECK(fall.Count({"\"template\":\"tip\"", "\"ts\":\"2026-10-25T09:00:00Z\""}) == 1);
  CHECK(fall.Count({"\"template\":\"tip\""}) == 2);
}

TEST_CASE("quiet hours end at their local time on the days clocks change", "[engine][local_time]") {
  auto r = RunScenario(std::string(R"(settings { timezone "Europe/Malta" }
rule hello on login { send push "hi" }
policy quiet { quiet_hours 22:00-08:00 for push })") + kPolicy,
                       Event("login", "l1", "a", "2026-03-28T21:30:00Z") +    // 22:30 local, the evening before
                           Event("login", "l2", "b", "2026-03-28T23:30:00Z") +    // 00:30 local on 03-29
                           Event("login", "l3", "c", "2026-10-24T23:30:00Z"),     // 01:30 local on 10-25
                       "2026-10-26T00:00:00Z");
  // 08:00 local is 06:00Z on 03-29 (UTC+2) and 07:00Z on 10-25 (UTC+1).
  CHECK(r.Count({"\"action\":\"send\"", "\"event\":\"l1\"", "\"ts\":\"2026-03-29T06:00:00Z\""}) == 1);
  CHECK(r.Count({"\"action\":\"send\"", "\"event\":\"l2\"", "\"ts\":\"2026-03-29T06:00:00Z\""}) == 1);
  CHECK(r.Count({"\"action\":\"send\"", "\"event\":\"l3\"", "\"ts\":\"2026-10-25T07:00:00Z\""}) == 1);
}

TEST_CASE("a daily mission lasts until the next day where DST starts at midnight", "[engine][local_time]") {
  // Santiago skips 2026-09-06 00:00..01:00 local (-04 → -03): the day starts
  // at 01:00 local, 04:00Z, not at 03:00Z.
  auto r = RunScenario(std::string(R"(settings { timezone "America/Santiago" }
mission daily_spins { recurring daily  task spins { count(bet) >= 2 }  reward { award points 10 } })") + kPolicy,
                       Bet("a1", "a", "2026-09-06T03:10:00Z", "1") +    // 23:10 local on 09-05
                           Bet("a2", "a", "2026-09-06T03:20:00Z", "1") +
                           Bet("b1", "b", "2026-09-06T03:10:00Z", "1"),
                       "2026-09-06T12:00:00Z");
  INFO(r.state);
  CHECK(r.Count({"\"user\":\"a\"", "\"event\":\"a2\"", "\"action\":\"mission\"", "\"state\":\"completed\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"state\":\"expired\""}) == 0);
  // b's single bet leaves the instance unfinished: it expires at the real day change.
  CHECK(r.Count({"\"user\":\"b\"", "\"state\":\"expired\"", "\"ts\":\"2026-09-06T04:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"b\"", "\"state\":\"expired\""}) == 1);
}
