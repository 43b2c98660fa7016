// Catching up to a far-future event (issue 14 §3) and deadlines at the int64
// bounds (§4): a recurring mission jumps to the period containing the next
// event instead of stepping through every period passed, and `start +
// duration` saturates instead of wrapping into the past.
// These count the engine's timers or set IR bounds sema forbids: C++. The
// time-limit case is data: tests/engine/scenarios/catch_up/.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline;
using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

// An unlocked daily and weekly mission (each period's instance is announced
// and has a deadline timer) and a generally available monthly one.
const std::string kMissions = std::string(R"(settings { timezone "UTC" }
mission daily_login { unlock on login  recurring daily  task t "bets" { count(bet) >= 3 }  reward { award points 10 } }
mission weekly_login { unlock on login  recurring weekly  task t "bets" { count(bet) >= 3 }  reward { award points 10 } }
mission monthly_all { recurring monthly  task t "bets" { count(bet) >= 3 }  reward { award points 10 } })") + kPolicy;

std::string FarFuture(const std::string& when) {
  return Event("login", "l1", "a", "2026-12-01T10:00:00Z") + Bet("b1", "a", "2026-12-01T11:00:00Z", "1") +
         Event("login", "l2", "a", when);
}

}  // namespace

TEST_CASE("a far-future event emits only what changed: instances with progress expire once", "[engine][catch_up]") {
  auto r = RunScenario(kMissions, FarFuture("2060-12-31T10:00:00Z"));
  // The instances the bet counted for expire at their period's end, once.
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"expired\""}) == 1);
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"expired\"", "\"ts\":\"2026-12-02T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"mission\":\"weekly_login\"", "\"state\":\"expired\"", "\"ts\":\"2026-12-07T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"mission\":\"monthly_all\"", "\"state\":\"expired\"", "\"ts\":\"2027-01-01T00:00:00Z\""}) == 1);
  // The periods in between are silent; the one the login falls in starts at its start.
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"started\""}) == 2);
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"started\"", "\"ts\":\"2060-12-31T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"mission\":\"weekly_login\"", "\"state\":\"started\"", "\"ts\":\"2060-12-27T00:00:00Z\""}) == 1);
  CHECK(r.Count({"\"action\":\"mission\""}) == 8);   // 3 daily, 3 weekly, 2 monthly
  CHECK(r.stats.timers <= 8);                         // was 14,228 (one a day, one a week)
  CHECK(r.state.find("\"daily_login\":{\"state\":\"started\"") != std::string::npos);
}

TEST_CASE("a login in 9999 after one in 2026 costs a handful of timers, not three million", "[engine][catch_up]") {
  auto r = RunScenario(kMissions, FarFuture("9999-12-31T10:00:00Z"));
  CHECK(r.Count({"\"action\":\"mission\""}) == 8);   // was 6,656,249
  CHECK(r.stats.timers <= 8);                         // was 3,328,124
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"started\"", "\"ts\":\"9999-12-31T00:00:00Z\""}) == 1);
}

TEST_CASE("--until far ahead starts the current period's instance, as stepping day by day did", "[engine][catch_up]") {
  // Up to --until, no event ends the catch-up: the state still shows the
  // instance of the period the clock is in.
  auto r = RunScenario(kMissions, Event("login", "l1", "a", "2026-12-01T10:00:00Z"), "2027-03-10T12:00:00Z");
  CHECK(r.Count({"\"mission\":\"daily_login\"", "\"state\":\"started\"", "\"ts\":\"2027-03-10T00:00:00Z\""}) == 1);
  // The first day's and week's announced instances end once; nothing after them is said.
  CHECK(r.Count({"\"state\":\"expired\""}) == 2);
  CHECK(r.state.find("\"daily_login\":{\"state\":\"started\"") != std::string::npos);
  CHECK(r.stats.timers <= 6);
}

TEST_CASE("deadlines saturate at the end of time instead of wrapping into the past", "[engine][catch_up]") {
  // Sema bounds every duration clause to 100 years; the engine must not rely
  // on it (a bundle, the daemon's API): set the bounds in the IR directly.
  ir::Program program = LowerPackage(std::string(R"(settings { timezone "UTC" }
mission m { unlock on login  time_limit 1d  task t "bets" { count(bet) >= 5 }  reward { award points 1 } }
flow once { on login  reenter after 1d  send inbox "hello" }
flow slow { on login  wait 1d  send inbox "later" })") + kPolicy);
  program.missions[0].time_limit_ms = INT64_MAX;
  program.flows[0].reenter_after_ms = INT64_MAX;
  for (ir::FlowOp& op : program.flows[1].ops)
    if (op.kind == ir::FlowOpKind::Wait) op.duration = INT64_MAX;
  interp::Interpreter interpreter(program);
  const std::string events = Event("login", "l1", "a", "9999-12-31T00:00:00Z") +
                             Event("login", "l2", "a", "9999-12-31T23:59:59Z");
  ScenarioResult r = RunOn(program, interpreter, events, "9999-12-31T23:59:59.999Z");
  CHECK(r.Count({"\"state\":\"expired\""}) == 0);            // start + limit is the end of time
  CHECK(r.Count({"\"template\":\"later\""}) == 0);           // the wait ends at the end of time
  CHECK(r.Count({"\"template\":\"hello\""}) == 1);           // last entry + reenter is too
  CHECK(r.state.find("\"m\":{\"state\":\"started\"") != std::string::npos);
}
